/**
 * Canary traffic (strategy canary): start the new release in the standby slot, then move nginx's
 * weights through the configured steps, watching each step (scripts/deploy/watch.ts). A breach
 * throws, and the deploy's failure path routes 100 % back to the old slot, still warm. At 100 %
 * the normal route (slots.ts routeTo) takes over and the watch task watches the whole window.
 */
import { canaryConf, measuredShare, weightedSteps } from "../../ci/src/plan/deploy/canary";
import { chooseSlot, type SlotState } from "../../ci/src/plan/deploy/slots";
import type { AccessLine } from "../../ci/src/plan/deploy/watch";
import { sh, type DeployContext } from "./context";
import { goLive, routeTo, serverSlots, startSlot } from "./slots";
import { accessLogOffset, watchRelease } from "./watch";

const WEIGH = `f=$1; shift; conf=$(cat)
cp -f "$f" "$f.bak" 2>/dev/null || true
printf '%s' "$conf" > "$f.tmp" && mv -f "$f.tmp" "$f"
if ! out=$("$@" 2>&1); then mv -f "$f.bak" "$f"; "$@" >/dev/null 2>&1 || true; echo "nginx reload failed: $out" >&2; exit 8; fi`;

/** Point nginx at both slots with the new one weighted `percent`; graceful reload, restored on failure. */
export async function weigh(ctx: DeployContext, state: SlotState, slot: number, percent: number): Promise<void> {
  const { slots, nginx } = serverSlots(ctx.server!);
  const old = { ports: slots[state.active], release: state.releases[state.active] };
  const next = { ports: slots[slot], release: state.releases[slot] };
  await sh(ctx, "canary", WEIGH, [nginx.upstreamsFile, ...nginx.reload], canaryConf(old, next, percent));
}

/** One step's measured share, as the deploy log shows it. */
export interface CanaryStep {
  percent: number;
  old: number;
  next: number;
  measuredPercent: number;
}

/** Run the canary steps for ctx.plan.releaseId; falls back to a plain blue/green switch when nothing serves yet. */
export async function canary(ctx: DeployContext, state: SlotState): Promise<{ slot: number; steps: CanaryStep[] }> {
  const id = ctx.plan.releaseId;
  const previous = state.releases[state.active];
  const policy = ctx.plan.afterSwitch!.watch;
  if (!previous || previous === id) return { slot: (await goLive(ctx, id, state)).slot, steps: [] };
  const { slot } = chooseSlot(state, id);
  await startSlot(ctx, slot, id, state);
  const steps: CanaryStep[] = [];
  for (const percent of weightedSteps(ctx.plan.afterSwitch!.canarySteps)) {
    ctx.state.accessLogFrom = await accessLogOffset(ctx);
    await weigh(ctx, state, slot, percent);
    const seen: AccessLine[] = [];
    await watchRelease(ctx, id, policy, Math.max(1, policy.windowSeconds), seen);
    const share = measuredShare(seen, previous, id);
    steps.push({ percent, old: share.old, next: share.next, measuredPercent: share.percent });
    ctx.log(
      `canary ${percent} %: ${id} served ${share.next} of ${share.old + share.next} requests (${share.percent.toFixed(1)} %), healthy`,
    );
  }
  await routeTo(ctx, slot, id, state);
  ctx.log(`canary 100 %: nginx routes every request to ${id} in slot ${slot}`);
  return { slot, steps };
}
