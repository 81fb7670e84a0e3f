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
import { PM2_TIMEOUT_SECONDS, type ServerInfo } from "../../ci/src/plan/deploy/serverInfo";
import { sh, type DeployContext } from "./context";
import { RemoteError, shellQuote } from "./remote";
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
  const raw =
    text ?? (await sh(ctx, "slots", "if [ -f .dep/slots.json ]; then cat .dep/slots.json 2>/dev/null; fi; true"));
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

/** What a task's bash exits with when a `pm2` command ran past its time bound and was stopped. */
export const PM2_OVERRAN = 12;

/** The time bound of one `pm2` command on this server, in seconds. */
export function pm2Limit(server: ServerInfo): number {
  return server.pm2TimeoutSeconds ?? PM2_TIMEOUT_SECONDS;
}

/**
 * Bash that defines `pm2_bounded <what> [VAR=value …] <pm2 argv …>`: run a pm2 command (inside `repository_env` with
 * the variables given, when there are any) within the server's bound. PM2's client waits on its daemon without end,
 * and the daemon runs the app, repository code that can stop it (SIGSTOP) or hang it: past the bound `timeout` stops
 * the command (TERM to its process group, KILL 5 s later) and the task exits PM2_OVERRAN, saying so on the task's
 * stderr (fd 3) whatever the command's own output is sent to; else it returns the command's exit code. fd 3 is not
 * handed to the command: the daemon a \`pm2\` starts would hold the task's stderr, and the deploy's ssh, open for ever.
 */
function pm2Bounded(server: ServerInfo): string {
  const limit = pm2Limit(server);
  return `exec 3>&2
pm2_bounded() {
  local what=$1 env=() rc=0; shift
  while [[ "$1" == *=* ]]; do env+=("$1"); shift; done
  if [ \${#env[@]} -gt 0 ]; then repository_env "\${env[@]}" timeout -k 5 ${limit} "$@" 3>&- || rc=$?
  else timeout -k 5 ${limit} "$@" 3>&- || rc=$?; fi
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "pm2 $what got no answer from PM2's daemon within ${limit} s and was stopped" >&3; exit ${PM2_OVERRAN}
  fi
  return "$rc"
}
`;
}

/**
 * The fix for a pm2 command that overran: PM2's daemon is stopped or hung; how to see it and restart it, then deploy
 * again. (`pm2 kill` is no fix: it waits on the daemon too.)
 */
export function pm2OverranHint(ctx: DeployContext): string {
  const s = ctx.server!;
  const ping = ctx.remote.typed(`timeout 10 env PM2_HOME=${shellQuote(s.pm2Home)} ${s.pm2} ping`);
  const restart = s.confine
    ? "restart the bundled staging server (npm run pipeline -- staging-server stop, then staging-server start: its apps stop with the daemon; the next deploy starts its release)"
    : `restart it: find it with ${ctx.remote.typed("ps -eo pid,stat,args | grep '[G]od Daemon'")}, then kill -CONT <pid> when its stat is T (stopped), else kill -9 <pid> and the apps it ran (pm2's next command starts a new daemon)`;
  return (
    `PM2's daemon (PM2_HOME=${s.pm2Home}) does not answer: it is stopped or hung, perhaps by an app it runs ` +
    `(the bound: shared/server.json "pm2TimeoutSeconds", default ${PM2_TIMEOUT_SECONDS} s). Check it: ${ping} ` +
    `(no "pong": it does not answer); ${restart}; then deploy again`
  );
}

/** Whether a task failed because a pm2 command ran past its bound (PM2's daemon did not answer). */
export function isPm2Overran(e: unknown): e is RemoteError {
  return e instanceof RemoteError && e.result.code === PM2_OVERRAN;
}

/** sh for a body that runs `pm2_bounded`: a pm2 command that overran throws with pm2OverranHint, not `hint`. */
async function shPm2(ctx: DeployContext, task: string, body: string, args: string[], hint?: string): Promise<string> {
  try {
    return await sh(ctx, task, `${pm2Bounded(ctx.server!)}${body}`, args, undefined, hint);
  } catch (e) {
    if (isPm2Overran(e)) throw new RemoteError(task, ctx.remote.where, e.result, pm2OverranHint(ctx));
    throw e;
  }
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
  await shPm2(
    ctx,
    "reload",
    `id=$1; slot=$2; names=$3; shift 3
pm2_bounded delete ${s.pm2} delete \${names//,/ } >/dev/null 2>&1 || true
pm2_bounded start PM2_HOME="$PM2_HOME" DEPLOY_BASE="$DEPLOY_BASE" DEPLOY_RELEASE="$id" DEPLOY_SLOT="$slot" ${s.pm2} start "releases/$id/ecosystem.config.cjs" --only "$names" >/dev/null
${PROBE}`,
    [id, String(slot), names.join(","), ...startupProbeArgs(ctx), ...healthUrls(slots[slot])],
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
  await shPm2(ctx, "stop", `pm2_bounded delete ${ctx.server!.pm2} delete "$@" >/dev/null 2>&1 || true`, names);
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
