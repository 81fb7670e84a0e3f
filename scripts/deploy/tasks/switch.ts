import { sh, type DeployContext } from "../context";

/** Point `current` at a release atomically: a new symlink renamed over the old one (mv -T). */
export async function switchTo(ctx: DeployContext, id: string): Promise<void> {
  await sh(ctx, "switch", 'test -d "releases/$1" && ln -sfn "releases/$1" current.tmp && mv -T current.tmp current', [
    id,
  ]);
}

/** Switch `current` to the new release. */
export async function switchCurrent(ctx: DeployContext): Promise<void> {
  await switchTo(ctx, ctx.plan.releaseId);
  ctx.state.switched = true;
  ctx.log(`switch: current -> releases/${ctx.plan.releaseId}`);
}
