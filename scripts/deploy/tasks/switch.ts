import { sh, type DeployContext } from "../context";
import { recordManifest } from "../manifest";

/** Point `current` at a release atomically: a new symlink renamed over the old one (mv -T). */
export async function switchTo(ctx: DeployContext, id: string): Promise<void> {
  await sh(ctx, "switch", 'test -d "releases/$1" && ln -sfn "releases/$1" current.tmp && mv -T current.tmp current', [
    id,
  ]);
}

/**
 * Record the new release's manifest (every file's sha256, its digest in the release log), so a later rollback can tell
 * whether the dir was edited since, then switch `current` to it.
 */
export async function switchCurrent(ctx: DeployContext): Promise<void> {
  const digest = await recordManifest(ctx, ctx.plan.releaseId);
  ctx.log(`switch: manifest of ${ctx.plan.releaseId} recorded (${digest.slice(0, 19)}…)`);
  await switchTo(ctx, ctx.plan.releaseId);
  ctx.state.switched = true;
  ctx.log(`switch: current -> releases/${ctx.plan.releaseId}`);
}
