import { formatVerdict, watchRecord } from "../../../ci/src/plan/deploy/watch";
import { appendLog, type DeployContext } from "../context";
import { watchRelease } from "../watch";

/**
 * Watch the live release's real traffic through nginx for the window (deploy.watch); a crossed threshold throws, and
 * the failure path rolls back and marks it BAD. Then log it deployed, with the verdict and figures.
 */
export async function watch(ctx: DeployContext): Promise<void> {
  const policy = ctx.plan.afterSwitch?.watch;
  const id = ctx.plan.releaseId;
  const extra = {
    ...(ctx.plan.forceReason ? { reason: `forced: ${ctx.plan.forceReason}` } : {}),
    ...(ctx.state.startedAt ? { seconds: Math.round((Date.now() - ctx.state.startedAt) / 100) / 10 } : {}),
  };
  if (!policy || policy.windowSeconds <= 0 || ctx.state.watch) {
    // Off, or already watched (each canary step watches, the last one at 100 %).
    if (!policy || policy.windowSeconds <= 0) ctx.log("watch: off (deploy.watch.windowSeconds is 0)");
    await appendLog(ctx, id, "deployed", { ...extra, ...(ctx.state.watch ? { watch: ctx.state.watch } : {}) });
    ctx.state.deployed = true;
    return;
  }
  ctx.log(`watch: ${policy.windowSeconds} s of real traffic through nginx's access log`);
  const v = await watchRelease(ctx, id, policy);
  ctx.state.watch = watchRecord(v, policy.windowSeconds);
  ctx.log(formatVerdict(v, policy.windowSeconds));
  await appendLog(ctx, id, "deployed", { ...extra, watch: ctx.state.watch });
  ctx.state.deployed = true;
}
