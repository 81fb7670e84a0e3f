/**
 * The module-mode section of results.md: one row per typed command (expected and actual exit code, seconds, first
 * line) and the figures: module load (`dagger functions` cold, warm) and `dagger call fast-tests` cold and warm
 * against the host runner's (host.json from hostFastTests.ts).
 */
import type { RowResult } from "./typed";

export interface HostTimes {
  cold: { seconds: number; passed: boolean };
  warm: { seconds: number; passed: boolean };
}

const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
const fmt = (x?: number) => (x === undefined ? "-" : x.toFixed(1));

/** Seconds of the passed rows whose name starts with `prefix`. */
function times(rows: RowResult[], prefix: string): number[] {
  return rows.filter((r) => r.row.startsWith(prefix) && r.status === "passed").map((r) => r.seconds);
}

/** The figures: cold once, warm as the mean of the warm runs (n shown), ÷ host where the host side passed. */
export function moduleFigures(rows: RowResult[], host?: HostTimes): string[] {
  const ratio = (engine?: number, h?: { seconds: number; passed: boolean }) =>
    engine !== undefined && h?.passed ? (engine / h.seconds).toFixed(2) : "-";
  const [fc, fw, tc, tw] = ["functions-cold", "functions-warm", "fast-tests-cold", "fast-tests-warm"].map((p) =>
    times(rows, p),
  );
  return [
    "| figure | engine s | runs | host s | engine ÷ host |",
    "|---|---|---|---|---|",
    `| module load, \`dagger functions\` cold | ${fmt(mean(fc))} | ${fc.length} | - | - |`,
    `| module load, \`dagger functions\` warm | ${fmt(mean(fw))} | ${fw.length} | - | - |`,
    `| \`dagger call fast-tests\` cold | ${fmt(mean(tc))} | ${tc.length} | ${fmt(host?.cold.seconds)} | ${ratio(mean(tc), host?.cold)} |`,
    `| \`dagger call fast-tests\` warm | ${fmt(mean(tw))} | ${tw.length} | ${fmt(host?.warm.seconds)} | ${ratio(mean(tw), host?.warm)} |`,
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
    "| row | command | expected exit | exit | seconds | result | first line |",
    "|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.row} | \`${cell(r.command)}\` | ${r.expect} | ${r.exit} | ${r.seconds.toFixed(1)} | ${r.status} | ${cell(r.firstLine)} |`,
    ),
    "",
    ...moduleFigures(rows, host),
    "",
  ];
}
