/**
 * The Dagger side of `metrics`: the same pure computation as the host command
 * (ci/src/plan/deploy/metrics.ts), over release logs and E2E records passed in as Files and a
 * Directory (e.g. copied from the server with `scp`), so no SSH runs inside the engine.
 */
import { dag, type Directory, type File } from "@dagger.io/dagger";
import { computeMetrics, formatMetricsTable, periodText, type MetricRow } from "../plan/deploy/metrics";
import { dailySeries, durations, metricsPage } from "../plan/deploy/metricsPage";
import { metricsPeriod, parseE2eRuns } from "../plan/deploy/period";
import { parseReleaseLog, type ReleaseLogEntry } from "../plan/deploy/releaseLog";
import type { PipelineConfig } from "../plan/config/defaults";

export interface MetricsArgs {
  releaseLogs: File[];
  e2eRecords?: Directory;
  since?: string;
  until?: string;
}

async function history(a: MetricsArgs): Promise<{ logs: ReleaseLogEntry[][]; texts: string[] }> {
  const logs = await Promise.all(a.releaseLogs.map(async (f) => parseReleaseLog(await f.contents())));
  const names = a.e2eRecords ? (await a.e2eRecords.entries()).filter((n) => n.endsWith(".json")) : [];
  const texts = await Promise.all(names.map((n) => a.e2eRecords!.file(n).contents()));
  return { logs, texts };
}

async function compute(a: MetricsArgs, cfg: PipelineConfig) {
  const { from, to } = metricsPeriod(a.since, a.until, new Date());
  const { logs, texts } = await history(a);
  const rows: MetricRow[] = computeMetrics({
    logs,
    e2e: parseE2eRuns(texts),
    from,
    to,
    ratePerMinute: cfg.billing.ratePerMinute,
  });
  return { rows, logs, from, to };
}

/** The success-metrics table as text. */
export async function runMetrics(a: MetricsArgs, cfg: PipelineConfig): Promise<string> {
  const { rows, from, to } = await compute(a, cfg);
  return `${formatMetricsTable(rows, from, to)}\n`;
}

/** The self-contained HTML page, as a File named metrics.html. */
export async function runMetricsPage(a: MetricsArgs, cfg: PipelineConfig): Promise<File> {
  const { rows, logs, from, to } = await compute(a, cfg);
  const html = metricsPage({
    rows,
    days: dailySeries(logs, from, to),
    durations: durations(logs, from, to),
    threshold: cfg.thresholds.deploy,
    period: periodText(from, to),
  });
  return dag.directory().withNewFile("metrics.html", html).file("metrics.html");
}
