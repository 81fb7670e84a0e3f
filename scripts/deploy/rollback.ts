/**
 * Rollback: back to the previous good release (never a BAD one), or to a named one; the abandoned release is marked
 * BAD.
 */
import { InputError } from "../../ci/src/plan/errors";
import { chooseRollbackTarget } from "../../ci/src/plan/deploy/stage";
import { validateReleaseId } from "../../ci/src/plan/deploy/releaseId";
import { deployCommand, listCommand, rollbackCommand, type TargetName } from "../../ci/src/plan/deploy/nextCommand";
import { badReleases, passedHealth } from "../../ci/src/plan/deploy/releaseLog";
import { appendLogs, readReleaseState, type DeployContext, type ReleaseState } from "./context";
import { checkServer } from "./checkServer";
import { verifyRelease } from "./manifest";
import { lock } from "./tasks/lock";
import { goLive, readSlots } from "./slots";
import { unlock } from "./tasks/unlock";

/** A rollback that cannot go anywhere: thrown before the lock is taken. */
export class RollbackInputError extends InputError {
  constructor(message: string) {
    super(message);
  }
}

/** Pick the release to return to, or throw RollbackInputError saying what exists. Pure. */
export function rollbackTarget(st: ReleaseState, to: string | undefined, name: TargetName = "staging"): string {
  const list = `releases on the server: ${st.existing.join(", ") || "none"} (current ${st.current ?? "none"}; which are good: ${listCommand(name)})`;
  if (to) {
    validateReleaseId(to, name);
    if (!st.existing.includes(to)) throw new RollbackInputError(`release ${to} does not exist; ${list}`);
    if (badReleases(st.log).has(to))
      throw new RollbackInputError(`release ${to} is marked BAD and is never a rollback target; ${list}`);
    if (!passedHealth(st.log).has(to))
      throw new RollbackInputError(`release ${to} never passed a health check, so it is no rollback target; ${list}`);
    if (to === st.current) throw new RollbackInputError(`release ${to} is already current`);
    return to;
  }
  const target = chooseRollbackTarget(st.log, st.existing, st.current);
  if (!target)
    throw new RollbackInputError(
      `no previous good release to roll back to; ${list}. Deploy a fixed commit instead: ${deployCommand(name)}`,
    );
  return target;
}

/**
 * Roll back: check the target (no side effect yet), lock, check its files against the manifest its deploy recorded,
 * then in one round trip route nginx to the target's warm slot, see it healthy through nginx and switch `current`;
 * log, unlock. The abandoned release stays up, unrouted, until the next deploy reuses its slot. Returns the release
 * now current.
 */
export async function rollback(ctx: DeployContext, to?: string, name?: TargetName): Promise<string> {
  if (!ctx.server) await checkServer(ctx);
  const target = rollbackTarget(await readReleaseState(ctx, true), to, name);
  ctx.plan = { ...ctx.plan, releaseId: target, commit: target.split("-").pop() ?? "" };
  await lock(ctx);
  try {
    const started = Date.now();
    const st = ctx.state.snapshot!;
    if (rollbackTarget(st, to, name) !== target)
      throw new RollbackInputError(
        `the releases changed while taking the lock; run the rollback again: ${rollbackCommand(name ?? "staging", to)}`,
      );
    await verifyRelease(ctx, target, st.log);
    const { warm } = await goLive(ctx, target, await readSlots(ctx, st.slotsText), true);
    ctx.log(
      `rollback: ${target} live and healthy ${((Date.now() - started) / 1000).toFixed(2)} s after the lock (${warm ? "warm standby" : "cold start"})`,
    );
    await appendLogs(ctx, [
      ...(st.current
        ? [
            {
              id: st.current,
              status: "bad" as const,
              reason: "abandoned by rollback",
              commit: st.current.split("-").pop(),
            },
          ]
        : []),
      { id: target, status: "rollback", from: st.current },
    ]);
    ctx.log(`rollback: current is ${target}${st.current ? `; ${st.current} marked BAD` : ""}`);
    return target;
  } finally {
    await unlock(ctx);
  }
}
