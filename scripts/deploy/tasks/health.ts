import { appendLog, shStoppable, type DeployContext } from "../context";
import { PROBE, probeArgs } from "../probe";

/**
 * Probe the public frontend root and backend /api/v1/health through nginx; `failuresBeforeRollback` failures in a row
 * throw.
 */
export async function checkPublicHealth(ctx: DeployContext): Promise<void> {
  const p = ctx.server!.publicPort;
  await shStoppable(ctx, "health", PROBE, [
    ...probeArgs(ctx, ctx.plan.health.failuresBeforeRollback),
    `http://127.0.0.1:${p}/`,
    `http://127.0.0.1:${p}/api/v1/health`,
  ]);
}

/**
 * Check the live release's health and log it healthy, so a rollback may return to it and no later deploy takes it for
 * unfinished, even if this run dies during the watch (the watch task then logs it deployed).
 */
export async function health(ctx: DeployContext): Promise<void> {
  await checkPublicHealth(ctx);
  await appendLog(ctx, ctx.plan.releaseId, "healthy");
  ctx.log(`health: frontend and backend healthy on port ${ctx.server!.publicPort}`);
}
