import type { DeployContext } from "../context";
import { goLive, readSlots } from "../slots";
import { accessLogOffset } from "../watch";
import { canary } from "../canary";

/**
 * Blue/green reload: start the new release in the standby slot (its own ports, PM2), wait until it
 * answers healthy there, then route nginx to it with a graceful reload. The old slot keeps the
 * previous release running as the warm rollback target.
 */
export async function reload(ctx: DeployContext): Promise<void> {
  const state = await readSlots(ctx, ctx.state.snapshot?.slotsText);
  ctx.state.slots = state;
  ctx.state.accessLogFrom = await accessLogOffset(ctx);
  const { slot } =
    ctx.plan.afterSwitch?.strategy === "canary"
      ? await canary(ctx, state)
      : await goLive(ctx, ctx.plan.releaseId, state);
  ctx.state.routed = true;
  ctx.log(
    `reload: nginx routes to slot ${slot}; the other slot keeps ${ctx.state.previous ?? "nothing"} warm for a rollback`,
  );
}
