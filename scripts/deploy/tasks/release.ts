import { latestStatuses, unaccounted } from "../../../ci/src/plan/deploy/releaseLog";
import { appendLog, readReleaseState, sh, type DeployContext } from "../context";

/** Remove releases a crashed run left unfinished (never current), then create releases/<id>. */
export async function release(ctx: DeployContext): Promise<void> {
  const state = ctx.state.snapshot ?? (await readReleaseState(ctx));
  ctx.state.previous = state.current;
  const status = latestStatuses(state.log);
  // A release that passed health once served traffic (a run killed during its watch window leaves it "healthy"):
  // it is kept, and only cleanup's count removes it.
  // One the log cannot account for (it was lost, the release went live once) is not this run's to remove.
  const lost = unaccounted(state.existing, state.log, state.recorded);
  const unfinished = state.existing.filter(
    (id) => id !== state.current && !lost.has(id) && (status.get(id) ?? "started") === "started",
  );
  for (const id of unfinished) {
    ctx.log(`release: removing ${id}, left unfinished by an earlier run`);
    await sh(ctx, "release", 'rm -rf -- "releases/$1"', [id]);
    await appendLog(ctx, id, "failed", {
      reason: "unfinished (removed by the next deploy)",
      commit: id.split("-").pop() ?? "",
    });
  }
  const id = ctx.plan.releaseId;
  await sh(
    ctx,
    "release",
    'if [ -e "releases/$1" ]; then echo "releases/$1 already exists" >&2; exit 4; fi; mkdir -p "releases/$1" shared/env',
    [id],
  );
  ctx.state.created = true;
  await appendLog(ctx, id, "started", ctx.plan.forceReason ? { reason: `forced: ${ctx.plan.forceReason}` } : {});
}
