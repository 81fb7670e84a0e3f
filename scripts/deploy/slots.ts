/**
 * Blue/green slots on the server (planning in ci/src/plan/deploy/slots.ts): start a release in a slot
 * under PM2, route nginx to a slot with a graceful `nginx -s reload`, stop a slot. nginx's old
 * workers finish their in-flight requests on the old slot, which keeps running, so no request drops.
 */
import {
  chooseSlot,
  parseSlotState,
  slotAppNames,
  slotsOf,
  upstreamsConf,
  type SlotPorts,
  type SlotState,
} from "../../ci/src/plan/deploy/slots";
import type { ServerInfo } from "../../ci/src/plan/deploy/serverInfo";
import { sh, type DeployContext } from "./context";
import { healthUrls, PROBE, startupProbeArgs } from "./probe";

/** The slots the server declares, and its nginx settings (a missing one is named). */
export function serverSlots(server: ServerInfo): { slots: SlotPorts[]; nginx: NonNullable<ServerInfo["nginx"]> } {
  if (!server.nginx?.upstreamsFile || !server.nginx.reload?.length) {
    throw new Error(
      'shared/server.json has no "nginx": {"upstreamsFile", "reload"}; blue/green routing needs them (see README: Deploy)',
    );
  }
  return { slots: slotsOf(server), nginx: server.nginx };
}

/** The slot state, from a snapshot already read (readReleaseState) or read now. */
export async function readSlots(ctx: DeployContext, text?: string): Promise<SlotState> {
  const raw = text ?? (await sh(ctx, "slots", "cat .dep/slots.json 2>/dev/null || true"));
  return parseSlotState(raw, serverSlots(ctx.server!).slots.length);
}

async function writeSlots(ctx: DeployContext, state: SlotState): Promise<void> {
  await sh(
    ctx,
    "slots",
    'mkdir -p .dep && printf "%s" "$1" > .dep/slots.json.tmp && mv -f .dep/slots.json.tmp .dep/slots.json',
    [JSON.stringify(state)],
  );
}

/**
 * (Re)start `id` in `slot` under PM2 from the release's own ecosystem file; wait until its own ports answer healthy.
 * PM2 gives its apps the environment of the `pm2 start` that started them, and evaluates the ecosystem file in it:
 * both are repository code, so that command gets only the allow-listed env and what the ecosystem file needs.
 */
export async function startSlot(ctx: DeployContext, slot: number, id: string, state: SlotState): Promise<void> {
  const { slots } = serverSlots(ctx.server!);
  const names = slotAppNames(slot, slots[slot]);
  state.releases[slot] = id;
  await writeSlots(ctx, state);
  const s = ctx.server!;
  await sh(
    ctx,
    "reload",
    `id=$1; slot=$2; names=$3; shift 3\n${s.pm2} delete \${names//,/ } >/dev/null 2>&1 || true\nrepository_env PM2_HOME="$PM2_HOME" DEPLOY_BASE="$DEPLOY_BASE" DEPLOY_RELEASE="$id" DEPLOY_SLOT="$slot" ${s.pm2} start "releases/$id/ecosystem.config.cjs" --only "$names" >/dev/null\n${PROBE}`,
    [id, String(slot), names.join(","), ...startupProbeArgs(ctx), ...healthUrls(slots[slot])],
    undefined,
    `release ${id} did not turn healthy in slot ${slot}; its log: PM2_HOME=${s.pm2Home} ${s.pm2} logs ${names.at(-1)} --lines 50`,
  );
}

/** What routeTo may also do in the same round trip. */
export interface RouteOptions {
  /** First check the slot still answers; if not, change nothing and return false. */
  ifWarm?: boolean;
  /** Then point `current` at the release (mv -T). */
  switchCurrent?: boolean;
}

const ROUTE = `f=$1; id=$2; port=$3; slots=$4; warm=$5; sw=$6; shift 6; conf=$(cat)
restore() { mv -f "$f.bak" "$f"; "$@" >/dev/null 2>&1 || true; }
IFS=' ' read -ra probe <<< "$warm"
for u in "\${probe[@]}"; do [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$u")" = 200 ] || { echo COLD; exit 0; }; done
cp -f "$f" "$f.bak" 2>/dev/null || true
printf '%s' "$conf" > "$f.tmp" && mv -f "$f.tmp" "$f"
if ! out=$("$@" 2>&1); then restore "$@"; echo "nginx reload failed: $out" >&2; exit 8; fi
got=""
for ((i=0; i<200; i++)); do
  got=$(curl -s -o /dev/null -w '%{http_code} %header{x-release}' --max-time 1 "http://127.0.0.1:$port/api/v1/health" || true)
  fe=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/" || true)
  if [ "$got" = "200 $id" ] && [ "$fe" = 200 ]; then
    printf '%s' "$slots" > .dep/slots.json.tmp && mv -f .dep/slots.json.tmp .dep/slots.json
    if [ "$sw" = 1 ]; then ln -sfn "releases/$id" current.tmp && mv -T current.tmp current; fi
    echo ROUTED; exit 0
  fi
  sleep 0.025
done
restore "$@"; echo "nginx did not serve $id healthy within 5 s of the reload (last: backend '\${got}', frontend \${fe}); see nginx's error.log" >&2; exit 8`;

/**
 * Route nginx to `slot` (graceful reload), wait until both the frontend root and backend health answer
 * 200 through nginx with X-Release: id, record slots.json; on failure restore the old route. One round trip.
 * Returns false (nothing changed) when `ifWarm` and the slot no longer answers.
 */
export async function routeTo(
  ctx: DeployContext,
  slot: number,
  id: string,
  state: SlotState,
  o: RouteOptions = {},
): Promise<boolean> {
  const { slots, nginx } = serverSlots(ctx.server!);
  const next = { ...state, active: slot };
  const warm = o.ifWarm ? healthUrls(slots[slot]).join(" ") : "";
  const args = [
    nginx.upstreamsFile,
    id,
    String(ctx.server!.publicPort),
    JSON.stringify(next),
    warm,
    o.switchCurrent ? "1" : "0",
    ...nginx.reload,
  ];
  const out = await sh(ctx, "route", ROUTE, args, upstreamsConf(slots[slot], id));
  if (out.trim() !== "ROUTED") return false;
  state.active = slot;
  return true;
}

/** Stop and forget a slot's PM2 apps (a release abandoned by a rollback, or one that never started). */
export async function stopSlot(ctx: DeployContext, slot: number, state: SlotState): Promise<void> {
  const names = slotAppNames(slot, serverSlots(ctx.server!).slots[slot]);
  await sh(ctx, "stop", `${ctx.server!.pm2} delete "$@" >/dev/null 2>&1 || true`, names);
  state.releases[slot] = "";
  await writeSlots(ctx, state);
}

/**
 * Make nginx serve `id` healthy: if a slot runs it warm (it answers now), only switch the route;
 * else start it in the standby slot first. `switchCurrent` also moves `current` once it is live.
 */
export async function goLive(
  ctx: DeployContext,
  id: string,
  state: SlotState,
  switchCurrent = false,
): Promise<{ slot: number; warm: boolean }> {
  const { slot, warm } = chooseSlot(state, id);
  if (warm && (await routeTo(ctx, slot, id, state, { ifWarm: true, switchCurrent }))) {
    ctx.log(`live: ${id} in slot ${slot} (warm standby: route switch only)`);
    return { slot, warm: true };
  }
  await startSlot(ctx, slot, id, state);
  await routeTo(ctx, slot, id, state, { switchCurrent });
  ctx.log(`live: ${id} in slot ${slot} (started)`);
  return { slot, warm: false };
}
