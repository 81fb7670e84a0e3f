/**
 * Blue/green slots, pure. The server declares two (or more) slots of app ports; nginx routes
 * to one (active), the other holds the previous good release warm. A deploy starts the new
 * release in the standby slot and routes nginx to it; a rollback to the warm release is then
 * only a route switch (`nginx -s reload`), no process start.
 */

/** The ports of one slot: its frontend and backend instances. */
export interface SlotPorts {
  frontendPorts: number[];
  backendPorts: number[];
}

/** What `.dep/slots.json` records: the routed slot and the release each slot runs ("" = none). */
export interface SlotState {
  active: number;
  releases: string[];
}

/** The slots a server declares; a server.json without `slots` pairs its i-th frontend and backend port as slot i. */
export function slotsOf(server: { slots?: SlotPorts[]; frontendPorts: number[]; backendPorts: number[] }): SlotPorts[] {
  if (server.slots?.length) return server.slots;
  const n = Math.min(server.frontendPorts.length, server.backendPorts.length);
  return Array.from({ length: n }, (_, i) => ({
    frontendPorts: [server.frontendPorts[i]],
    backendPorts: [server.backendPorts[i]],
  }));
}

/** Parse `.dep/slots.json`; an absent or unreadable file means slot 0 routed and nothing known to run. */
export function parseSlotState(text: string, count: number): SlotState {
  try {
    const s = JSON.parse(text) as SlotState;
    if (Number.isInteger(s.active) && s.active >= 0 && s.active < count && Array.isArray(s.releases)) {
      return { active: s.active, releases: Array.from({ length: count }, (_, i) => String(s.releases[i] ?? "")) };
    }
  } catch {
    // fall through: a missing or torn file is the same as no state
  }
  return { active: 0, releases: Array(count).fill("") };
}

/** Where `release` should go live: the slot already running it, else the first slot that is not routed. */
export function chooseSlot(state: SlotState, release: string): { slot: number; warm: boolean } {
  const running = state.releases.indexOf(release);
  if (running >= 0) return { slot: running, warm: true };
  const standby = state.releases.findIndex((_, i) => i !== state.active);
  return { slot: standby < 0 ? state.active : standby, warm: false };
}

/** PM2 app names of a slot, as ecosystem.config.cjs names them. */
export function slotAppNames(slot: number, ports: SlotPorts): string[] {
  return [
    ...ports.frontendPorts.map((_, i) => `frontend-s${slot}-${i}`),
    ...ports.backendPorts.map((_, i) => `backend-s${slot}-${i}`),
  ];
}

/** The nginx include that routes to one slot and tags every response with the release it came from (X-Release). */
export function upstreamsConf(ports: SlotPorts, release: string): string {
  if (!/^[\w.-]*$/.test(release)) throw new Error(`release "${release}" cannot go into the nginx config`);
  const upstream = (name: string, list: number[]) =>
    `upstream ${name} {\n${list.map((p) => `  server 127.0.0.1:${p} max_fails=0;`).join("\n")}\n}`;
  return `${upstream("frontend", ports.frontendPorts)}\n${upstream("backend", ports.backendPorts)}\nmap $host $deploy_release { default "${release}"; }\n`;
}
