import { chooseRollbackTarget } from "../../ci/src/plan/deploy/stage";
import { DeployLockedError } from "./tasks/lock";
import { appendLog, appendLogs, sh, type DeployContext } from "./context";
import { ReleaseEditedError, verifyRelease } from "./manifest";
import { goLive, isPm2Overran, readSlots, stopSlot } from "./slots";
import { unlock } from "./tasks/unlock";

/**
 * The failure path: a release that went live is rolled back to the previous one and marked BAD;
 * one that never went live is removed and logged failed; the lock is always released.
 * Returns one line saying where `current` stands.
 */
export async function deployFailed(ctx: DeployContext, error: Error): Promise<string> {
  if (error instanceof DeployLockedError) return "nothing was changed on the server";
  const id = ctx.plan.releaseId;
  const reason = error.message.split("\n")[0];
  try {
    if (ctx.state.deployed)
      return `${id} is deployed and current; only the steps after it (cleanup) did not finish, so old releases may remain.`;
    const edited: string[] = [];
    const target = ctx.state.switched ? await intactHealthy(ctx, edited) : undefined;
    if (target) return await autoRollback(ctx, target, reason, isPm2Overran(error));
    if (ctx.state.switched) {
      await appendLog(ctx, id, "bad", { reason });
      const why = edited.length
        ? `the releases that passed health were edited on the server since their deploy (${edited.join(", ")})`
        : "no other release ever passed health";
      return `current still points at ${id}: ${why}, so there is nothing to roll back to. Fix it and deploy again.`;
    }
    const untouched = `current is untouched${ctx.state.previous ? ` (still ${ctx.state.previous})` : ""}`;
    if (!ctx.state.created) return `${untouched}; no release was created.`;
    await sh(ctx, "failure path", 'rm -rf -- "releases/$1"', [id]);
    await appendLog(ctx, id, "failed", { reason });
    return `${untouched}; releases/${id} was removed.`;
  } catch (e) {
    return `the failure path itself failed (${(e as Error).message.split("\n")[0]}); inspect ${ctx.base} on ${ctx.remote.where}`;
  } finally {
    await unlock(ctx).catch(() =>
      ctx.log(`could not unlock: run ${ctx.remote.typed(`rm ${ctx.base}/.dep/deploy.lock`)}`),
    );
  }
}

/**
 * The release that served before this deploy (warm in its slot) when it passed health, else the newest release deployed
 * before this one that did (from the release log read under the lock), whose files are as its deploy recorded them;
 * never `current` just because it is current: a run killed between its switch and its health check leaves an
 * unchecked one there. An edited one is skipped, said in the log and added to `edited`.
 */
async function intactHealthy(ctx: DeployContext, edited: string[]): Promise<string | undefined> {
  const st = ctx.state.snapshot;
  if (!st) return undefined;
  for (;;) {
    const existing = st.existing.filter((id) => !edited.includes(id));
    const target = chooseRollbackTarget(st.log, existing, ctx.plan.releaseId, ctx.state.previous);
    if (!target) return undefined;
    try {
      await verifyRelease(ctx, target, st.log);
      return target;
    } catch (e) {
      if (!(e instanceof ReleaseEditedError)) throw e;
      ctx.log(`automatic rollback skips ${target}: ${e.message.split(", so it is not made live")[0]}`);
      edited.push(target);
    }
  }
}

async function autoRollback(ctx: DeployContext, previous: string, reason: string, pm2Down = false): Promise<string> {
  ctx.log(`automatic rollback to ${previous}: ${reason}`);
  const slots = ctx.state.slots ?? (await readSlots(ctx));
  const { warm } = await goLive(ctx, previous, slots, true);
  ctx.state.restoredAt = Date.now();
  if (ctx.state.breachAt)
    ctx.log(
      `rollback: ${previous} serves again ${((ctx.state.restoredAt - ctx.state.breachAt) / 1000).toFixed(2)} s after the watch saw the breach`,
    );
  // A release the watch rolled back was serving: old nginx workers may still wait on it (a slow
  // request takes seconds), so it stays up, unrouted, as after a manual rollback; the next deploy
  // reuses its slot. One that never turned healthy is stopped.
  // Stopping it is tidying up, done once traffic is back: when PM2's daemon does not answer, it is not asked again (a
  // second wait for the bound), and a stop that fails leaves the rollback standing and logged.
  const bad = slots.releases.indexOf(ctx.plan.releaseId);
  if (bad >= 0 && bad !== slots.active && !ctx.state.breachAt) {
    const left = `slot ${bad} is left as it is, unrouted`;
    if (pm2Down) ctx.log(`automatic rollback: PM2's daemon does not answer, so ${left}`);
    else
      await stopSlot(ctx, bad, slots).catch((e: Error) =>
        ctx.log(`automatic rollback: could not stop slot ${bad} (${e.message.split("\n")[0]}); ${left}`),
      );
  }
  await appendLogs(ctx, [
    { id: ctx.plan.releaseId, status: "bad", reason, ...(ctx.state.watch ? { watch: ctx.state.watch } : {}) },
    { id: previous, status: "rollback", from: ctx.plan.releaseId, commit: previous.split("-").pop() },
  ]);
  ctx.state.rolledBackTo = previous;
  return `rolled back automatically: current is ${previous} again and healthy; ${ctx.plan.releaseId} is marked BAD${warm ? ` (nginx never stopped routing to ${previous})` : ""}.`;
}
