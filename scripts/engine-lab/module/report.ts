/**
 * The module-mode section of results.md: one row per typed command (expected and actual exit code, seconds, first
 * line) and the figures: module load (`dagger functions` cold, warm) and `dagger call fast-tests` cold and warm
 * against the host runner's (host.json from hostFastTests.ts).
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
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
const fmt = (x?: number) => (x === undefined ? "-" : x.toFixed(1));

/** The passed rows whose name starts with `prefix`. */
function passed(rows: RowResult[], prefix: string): RowResult[] {
  return rows.filter((r) => r.row.startsWith(prefix) && r.status === "passed");
}

/** The host's warm figure: the mean of its passed warm runs. */
function hostWarm(host?: HostTimes): HostRun | undefined {
  const runs = (host?.warmRuns ?? (host ? [host.warm] : [])).filter((r) => r.passed);
  const m = mean(runs.map((r) => r.seconds));
  return m === undefined ? host?.warm : { seconds: m, passed: true, load: undefined };
}

const loads = (xs: (number | undefined)[]) => xs.map((l) => (l === undefined ? "?" : l.toFixed(1))).join(", ") || "-";

/** The figures: cold once, warm as the mean of the warm runs (n shown), ÷ host where the host side passed. */
export function moduleFigures(rows: RowResult[], host?: HostTimes): string[] {
  const ratio = (engine?: number, h?: HostRun) =>
    engine !== undefined && h?.passed ? (engine / h.seconds).toFixed(2) : "-";
  const [fc, fw, tc, tw] = ["functions-cold", "functions-warm", "fast-tests-cold", "fast-tests-warm"].map((p) =>
    passed(rows, p),
  );
  const secs = (rs: RowResult[]) => mean(rs.map((r) => r.seconds));
  const hw = hostWarm(host);
  const hwRuns = host?.warmRuns ?? (host ? [host.warm] : []);
  const line = (name: string, rs: RowResult[], h?: HostRun, hostLoads = "-") =>
    `| ${name} | ${fmt(secs(rs))} | ${rs.length} | ${loads(rs.map((r) => r.load))} | ${fmt(h?.seconds)} | ${hostLoads} | ${ratio(secs(rs), h)} |`;
  return [
    "| figure | engine s | runs | load at each | host s | host load | engine ÷ host |",
    "|---|---|---|---|---|---|---|",
    line("module load, `dagger functions` cold", fc),
    line("module load, `dagger functions` warm", fw),
    line("`dagger call fast-tests` cold", tc, host?.cold, host ? loads([host.cold.load]) : "-"),
    line("`dagger call fast-tests` warm", tw, hw, loads(hwRuns.map((r) => r.load))),
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
