import { sh, type DeployContext } from "../context";

/** Release .dep/deploy.lock, only when this run holds it. */
export async function unlock(ctx: DeployContext): Promise<void> {
  if (!ctx.state.locked) return;
  await sh(ctx, "unlock", 'grep -qF "$1" .dep/deploy.lock 2>/dev/null && rm -f .dep/deploy.lock || true', [
    `"release":"${ctx.plan.releaseId}"`,
  ]);
  ctx.state.locked = false;
}
