import { sh, type DeployContext } from "../context";
import { PROBE, probeArgs } from "../probe";

/**
 * Probe the public frontend root and backend /api/v1/health through nginx; `failuresBeforeRollback` failures in a row
 * throw.
 */
export async function checkPublicHealth(ctx: DeployContext): Promise<void> {
  const p = ctx.server!.publicPort;
  await sh(ctx, "health", PROBE, [
    ...probeArgs(ctx, ctx.plan.health.failuresBeforeRollback),
    `http://127.0.0.1:${p}/`,
    `http://127.0.0.1:${p}/api/v1/health`,
  ]);
}

/** Check the live release's health (the watch task then logs it deployed). */
export async function health(ctx: DeployContext): Promise<void> {
  await checkPublicHealth(ctx);
  ctx.log(`health: frontend and backend healthy on port ${ctx.server!.publicPort}`);
}
