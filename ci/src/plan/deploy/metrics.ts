/**
 * The pipeline's own success metrics (docs/requirements.md#R-metrics), pure: computed for a period from release logs
 * (`.dep/releases.jsonl`, one per target) and E2E promotion records (`.dep/e2e/<sha>.json`).
 * Definitions (docs/metrics.md): an attempt is a release id with a log entry in the period; it
 * succeeded when it was logged `deployed`; it went live when it was deployed or marked BAD after
 * the switch; a change failure is a live release later marked BAD; MTTR runs from a failed
 * release going live to the next rollback entry or the next deployed release.
 */
import type { PromotionRecord } from "./promotion";
import type { ReleaseLogEntry } from "./releaseLog";

export interface MetricTargets {
  deploySuccessPercent: number;
  changeFailurePercent: number;
  mttrMinutes: number;
  rollbacksPerPeriod: number;
  e2ePassPercent: number;
  flakyPercent: number;
  minutesPerDeploy: number;
  costPerDeploy: number;
}

/** The targets (docs/requirements.md#R-metrics; docs/metrics.md says where each comes from). */
export const defaultMetricTargets = (): MetricTargets => ({
  deploySuccessPercent: 95,
  changeFailurePercent: 15,
  mttrMinutes: 15,
  rollbacksPerPeriod: 2,
  e2ePassPercent: 95,
  flakyPercent: 2,
  minutesPerDeploy: 22,
  costPerDeploy: 0.2,
});

export interface MetricRow {
  name: string;
  /** undefined: no data in the period. */
  value: number | undefined;
  unit: "%" | "min" | "$" | "";
  /** "<=" means lower is better. */
  direction: ">=" | "<=";
  target: number;
}

/** An E2E record; `seconds`, when the E2E stage wrote it, counts into the minutes per deployment. */
export type E2eRun = PromotionRecord & { seconds?: number };

export interface MetricsInput {
  logs: ReleaseLogEntry[][];
  e2e: E2eRun[];
  from: Date;
  to: Date;
  ratePerMinute: number;
  targets?: MetricTargets;
}

export interface DeployStats {
  attempts: number;
  succeeded: number;
  live: number;
  changeFailures: number;
  rollbacks: number;
  /** Minutes to restore, one per change failure that was repaired. */
  repairs: number[];
  billedMinutes: number;
}

const inPeriod = (time: string, from: Date, to: Date) => {
  const t = Date.parse(time);
  return t >= from.getTime() && t < to.getTime();
};

/** Deploy figures of one target's log in [from, to). */
export function deployStats(log: ReleaseLogEntry[], from: Date, to: Date): DeployStats {
  const sorted = [...log].sort((a, b) => a.time.localeCompare(b.time));
  const entries = sorted.filter((e) => inPeriod(e.time, from, to));
  const ids = new Set(entries.filter((e) => e.status !== "rollback").map((e) => e.id));
  const has = (id: string, s: string) => entries.some((e) => e.id === id && e.status === s);
  const live = [...ids].filter((id) => has(id, "deployed") || has(id, "bad"));
  const bad = live.filter((id) => has(id, "bad"));
  const repairs = bad.map((id) => repairMinutes(sorted, id)).filter((m): m is number => m !== undefined);
  const seconds = entries.filter((e) => e.seconds !== undefined && e.status !== "started").map((e) => e.seconds!);
  return {
    attempts: ids.size,
    succeeded: [...ids].filter((id) => has(id, "deployed")).length,
    live: live.length,
    changeFailures: bad.length,
    rollbacks: entries.filter((e) => e.status === "rollback").length,
    repairs,
    billedMinutes: seconds.reduce((a, s) => a + Math.max(1, Math.ceil(s / 60)), 0),
  };
}

/** Minutes from `id` going live (its deployed entry, else its first entry) to the service being restored. */
function repairMinutes(sorted: ReleaseLogEntry[], id: string): number | undefined {
  const mine = sorted.filter((e) => e.id === id);
  const start = (mine.find((e) => e.status === "deployed") ?? mine[0]).time;
  const badAt = mine.find((e) => e.status === "bad")!.time;
  const fixed = sorted.find(
    (e) => e.time >= badAt && e.id !== id && (e.status === "rollback" || e.status === "deployed"),
  );
  return fixed ? (Date.parse(fixed.time) - Date.parse(start)) / 60_000 : undefined;
}

const pct = (n: number, d: number) => (d ? (100 * n) / d : undefined);

/** The success-metrics table for the period. */
export function computeMetrics(i: MetricsInput): MetricRow[] {
  const t = i.targets ?? defaultMetricTargets();
  const s = i.logs.map((l) => deployStats(l, i.from, i.to));
  const sum = (k: Exclude<keyof DeployStats, "repairs">) => s.reduce((a, x) => a + x[k], 0);
  const repairs = s.flatMap((x) => x.repairs);
  const runs = i.e2e.filter((r) => r.finishedAt && inPeriod(r.finishedAt, i.from, i.to));
  const tests = runs.reduce((a, r) => a + r.passed + r.failed + r.flaky, 0);
  const e2eMinutes = runs.reduce((a, r) => a + (r.seconds ? Math.ceil(r.seconds / 60) : 0), 0);
  const deployed = sum("succeeded");
  const minutes = deployed ? (sum("billedMinutes") + e2eMinutes) / deployed : undefined;
  const mttr = repairs.length ? repairs.reduce((a, b) => a + b, 0) / repairs.length : undefined;
  return [
    row("deployment success rate", pct(deployed, sum("attempts")), "%", ">=", t.deploySuccessPercent),
    row("change failure rate", pct(sum("changeFailures"), sum("live")), "%", "<=", t.changeFailurePercent),
    row("MTTR", mttr, "min", "<=", t.mttrMinutes),
    row("rollback count", sum("rollbacks"), "", "<=", t.rollbacksPerPeriod),
    row(
      "E2E pass rate",
      pct(runs.filter((r) => r.status === "passed").length, runs.length),
      "%",
      ">=",
      t.e2ePassPercent,
    ),
    row(
      "E2E flaky rate",
      pct(
        runs.reduce((a, r) => a + r.flaky, 0),
        tests,
      ),
      "%",
      "<=",
      t.flakyPercent,
    ),
    row("GitHub minutes per deployment", minutes, "min", "<=", t.minutesPerDeploy),
    row(
      "cost per deployment",
      minutes === undefined ? undefined : minutes * i.ratePerMinute,
      "$",
      "<=",
      t.costPerDeploy,
    ),
  ];
}

function row(
  name: string,
  value: number | undefined,
  unit: MetricRow["unit"],
  direction: MetricRow["direction"],
  target: number,
): MetricRow {
  return { name, value, unit, direction, target };
}

/** ok, missed, or no data. */
export function rowStatus(r: MetricRow): "ok" | "missed" | "no data" {
  if (r.value === undefined) return "no data";
  return (r.direction === ">=" ? r.value >= r.target : r.value <= r.target) ? "ok" : "missed";
}

/** A value with its unit, e.g. "96.0 %", "12.5 min", "$0.176", "3". */
export function formatValue(v: number | undefined, unit: MetricRow["unit"]): string {
  if (v === undefined) return "—";
  if (unit === "$") return `$${v.toFixed(3)}`;
  if (unit === "") return String(Math.round(v * 100) / 100);
  return `${v.toFixed(1)} ${unit}`;
}

/** The text table: metric, value, target, status. */
export function formatMetricsTable(rows: MetricRow[], from: Date, to: Date): string {
  const cells = rows.map((r) => [
    r.name,
    formatValue(r.value, r.unit),
    `${r.direction === ">=" ? "≥" : "≤"} ${formatValue(r.target, r.unit)}`,
    rowStatus(r),
  ]);
  const head = ["metric", "value", "target", "status"];
  const w = head.map((h, c) => Math.max(h.length, ...cells.map((x) => x[c].length)));
  const line = (x: string[]) =>
    x
      .map((v, c) => v.padEnd(w[c]))
      .join("  ")
      .trimEnd();
  const period = periodText(from, to);
  return [`success metrics, ${period}`, line(head), line(w.map((n) => "-".repeat(n))), ...cells.map(line)].join("\n");
}

/** "2026-11-01 .. 2026-11-10": the first and the last day the period includes. */
export function periodText(from: Date, to: Date): string {
  return `${from.toISOString().slice(0, 10)} .. ${new Date(to.getTime() - 1).toISOString().slice(0, 10)}`;
}
