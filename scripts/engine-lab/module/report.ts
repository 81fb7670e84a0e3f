/**
 * The module-mode section of results.md: one row per typed command (expected and actual exit code, seconds, first
 * line) and the figures: module load (`dagger functions` cold, warm) and `dagger call fast-tests` cold and warm
 * against the host runner's (host.json from hostFastTests.ts), warm runs as median (min–max).
 */
import type { RowResult } from "./typed";

export interface HostRun {
  seconds: number;
  passed: boolean;
  /** The 1-minute load average when the run ended. */
  load?: number;
}

export interface HostTimes {
  cold: HostRun;
  warm: HostRun;
  /** Every warm run when there were several (`warm` is the first). */
  warmRuns?: HostRun[];
}

const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** Median, min and max of some seconds; undefined for none. */
export function spread(xs: number[]): Spread | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

/** `median (min–max)`, or the one value when there is one, or `-`. */
export function formatSpread(x: Spread | undefined, digits = 1): string {
  if (!x) return "-";
  const f = (v: number) => v.toFixed(digits);
  return x.n > 1 ? `${f(x.median)} (${f(x.min)}–${f(x.max)})` : f(x.median);
}

/**
 * Engine ÷ host for unpaired runs: the medians' ratio, and the range from the fastest engine run ÷ the slowest host
 * run to the slowest engine run ÷ the fastest host run.
 */
export function ratioSpread(engine?: Spread, host?: Spread): Spread | undefined {
  if (!engine || !host) return undefined;
  return {
    median: engine.median / host.median,
    min: engine.min / host.max,
    max: engine.max / host.min,
    n: Math.max(engine.n, host.n),
  };
}

/** The passed rows whose name starts with `prefix`. */
function passed(rows: RowResult[], prefix: string): RowResult[] {
  return rows.filter((r) => r.row.startsWith(prefix) && r.status === "passed");
}

const loads = (xs: (number | undefined)[]) => xs.map((l) => (l === undefined ? "?" : l.toFixed(1))).join(", ") || "-";

/**
 * The figures: module load and fast-tests, cold and warm, each as median (min–max) over its passed runs, ÷ the host
 * runner's passed runs of the same kind (host.json of the same lab run).
 */
export function moduleFigures(rows: RowResult[], host?: HostTimes): string[] {
  const [fc, fw, tc, tw] = ["functions-cold", "functions-warm", "fast-tests-cold", "fast-tests-warm"].map((p) =>
    passed(rows, p),
  );
  const hostWarm = host?.warmRuns ?? (host ? [host.warm] : []);
  const hostCold = host ? [host.cold] : [];
  const line = (name: string, rs: RowResult[], hs: HostRun[] = []) => {
    const e = spread(rs.map((r) => r.seconds));
    const ok = hs.filter((h) => h.passed);
    const h = spread(ok.map((r) => r.seconds));
    const hostCells = hs.length
      ? `${formatSpread(h)} | ${ok.length} of ${hs.length} | ${loads(hs.map((r) => r.load))}`
      : "- | - | -";
    return `| ${name} | ${formatSpread(e)} | ${rs.length} | ${loads(rs.map((r) => r.load))} | ${hostCells} | ${formatSpread(ratioSpread(e, h), 2)} |`;
  };
  return [
    "| figure | engine s: median (min–max) | runs | load at each | host s: median (min–max) | host runs passed | host load | engine ÷ host: median (range) |",
    "|---|---|---|---|---|---|---|---|",
    line("module load, `dagger functions` cold", fc),
    line("module load, `dagger functions` warm", fw),
    line("`dagger call fast-tests` cold", tc, hostCold),
    line("`dagger call fast-tests` warm", tw, hostWarm),
  ];
}

/** The module-mode section as Markdown. */
export function moduleSection(rows: RowResult[], meta: Record<string, string>, host?: HostTimes): string[] {
  return [
    "## Module mode (`dagger call` as typed)",
    "",
    ...Object.entries(meta).map(([k, v]) => `- ${k}: ${v}`),
    `- rows: ${rows.length}, passed: ${rows.filter((r) => r.status === "passed").length}`,
    "",
    "| row | command | expected exit | exit | seconds | load | result | first line |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.row} | \`${cell(r.command)}\` | ${r.expect} | ${r.exit} | ${r.seconds.toFixed(1)} | ${r.load ?? "-"} | ${r.status} | ${cell(r.firstLine)} |`,
    ),
    "",
    ...moduleFigures(rows, host),
    "",
  ];
}
