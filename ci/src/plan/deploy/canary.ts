/**
 * Canary steps, pure: nginx weights between the old and the new slot (5 → 25 → 50 → 100 % by
 * default), and the share of requests each release served, measured from the access log. At
 * 100 % the normal single-slot route takes over (slots.ts upstreamsConf).
 */
import type { SlotPorts } from "./slots";
import type { AccessLine } from "./watch";

/** The weighted steps: every configured percent below 100, in order. */
export function weightedSteps(steps: number[]): number[] {
  return steps.filter((p) => p > 0 && p < 100);
}

/**
 * The nginx include for one canary step: both slots in each upstream, weighted `100 - percent` to `percent`, and
 * X-Release from the upstream that answered ($upstream_addr), so the access log says which release served.
 */
export function canaryConf(
  old: { ports: SlotPorts; release: string },
  next: { ports: SlotPorts; release: string },
  percent: number,
): string {
  for (const r of [old.release, next.release])
    if (!/^[\w.-]+$/.test(r)) throw new Error(`release "${r}" cannot go into the nginx config`);
  if (!Number.isInteger(percent) || percent <= 0 || percent >= 100)
    throw new Error(`canary percent ${percent} is not between 1 and 99`);
  const server = (p: number, w: number) => `  server 127.0.0.1:${p} weight=${w} max_fails=0;`;
  const upstream = (name: string, key: keyof SlotPorts) =>
    `upstream ${name} {\n${[
      ...old.ports[key].map((p) => server(p, 100 - percent)),
      ...next.ports[key].map((p) => server(p, percent)),
    ].join("\n")}\n}`;
  const addr = (s: { ports: SlotPorts; release: string }) =>
    [...s.ports.frontendPorts, ...s.ports.backendPorts].map((p) => `  "127.0.0.1:${p}" "${s.release}";`);
  return `${upstream("frontend", "frontendPorts")}\n${upstream("backend", "backendPorts")}\nmap $upstream_addr $deploy_release {\n  default "${old.release}";\n${[...addr(old), ...addr(next)].join("\n")}\n}\n`;
}

/** How many requests each release served in the lines, and the new one's share in percent. */
export function measuredShare(
  lines: AccessLine[],
  oldRelease: string,
  newRelease: string,
): { old: number; next: number; percent: number } {
  const next = lines.filter((l) => l.release === newRelease).length;
  const old = lines.filter((l) => l.release === oldRelease).length;
  return { old, next, percent: old + next ? (100 * next) / (old + next) : 0 };
}
