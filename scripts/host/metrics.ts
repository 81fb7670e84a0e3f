/**
 * `metrics`: the pipeline's §11 success metrics for a period (ci/src/plan/deploy/metrics.ts),
 * from release logs and E2E records given as files (--release-log, --e2e-records), else read
 * over SSH from the configured targets' `.dep/`. Prints the table; --html writes the page.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../../ci/src/plan/errors";
import { computeMetrics, formatMetricsTable, type E2eRun } from "../../ci/src/plan/deploy/metrics";
import { dailySeries, durations, metricsPage } from "../../ci/src/plan/deploy/metricsPage";
import { parseReleaseLog, type ReleaseLogEntry } from "../../ci/src/plan/deploy/releaseLog";
import { sshRemote } from "../deploy/remote";
import { readConfig } from "./config";
import { deployEnv, resolveTarget } from "./target";

/** Flags `metrics` adds to the host runner's parser. */
export const METRICS_OPTIONS = {
  "release-log": { type: "string", multiple: true },
  "e2e-records": { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  html: { type: "string" },
} as const;

/** A period or a file that cannot be read. */
export class MetricsInputError extends InputError {}

/** [since, until): --since/--until as YYYY-MM-DD (UTC), default the 30 days up to now. */
export function metricsPeriod(since?: string, until?: string, now = new Date()): { from: Date; to: Date } {
  const day = (s: string, flag: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`)))
      throw new MetricsInputError(`${flag} "${s}" is not a date; pass YYYY-MM-DD, e.g. ${flag} 2026-11-01`);
    return new Date(`${s}T00:00:00Z`);
  };
  const to = until ? new Date(day(until, "--until").getTime() + 864e5) : now;
  const from = since ? day(since, "--since") : new Date(to.getTime() - 30 * 864e5);
  if (from >= to) throw new MetricsInputError(`--since ${since} is not before --until ${until ?? "now"}`);
  return { from, to };
}

/** Release logs and E2E records from files, or from the targets over SSH. */
async function readHistory(f: Record<string, unknown>): Promise<{ logs: ReleaseLogEntry[][]; e2e: E2eRun[] }> {
  const files = (f["release-log"] as string[] | undefined) ?? [];
  const dir = f["e2e-records"] as string | undefined;
  if (files.length || dir) {
    for (const p of [...files, ...(dir ? [dir] : [])])
      if (!existsSync(p)) throw new MetricsInputError(`${p} does not exist; pass a releases.jsonl or an e2e dir`);
    const e2e = dir
      ? readdirSync(dir)
          .filter((n) => n.endsWith(".json"))
          .map((n) => readFileSync(join(dir, n), "utf8"))
      : [];
    return { logs: files.map((p) => parseReleaseLog(readFileSync(p, "utf8"))), e2e: parseRecords(e2e) };
  }
  return readTargets();
}

function parseRecords(texts: string[]): E2eRun[] {
  return texts.flatMap((t) => {
    try {
      const r = JSON.parse(t) as Partial<E2eRun>;
      return typeof r.commit === "string" && (r.status === "passed" || r.status === "failed")
        ? [{ passed: 0, failed: 0, flaky: 0, finishedAt: "", suite: "", report: "", ...r } as E2eRun]
        : [];
    } catch {
      return [];
    }
  });
}

const READ =
  'cat .dep/releases.jsonl 2>/dev/null || true; for f in .dep/e2e/*.json; do [ -f "$f" ] && { echo "@@E2E"; cat "$f"; }; done; true';

async function readTargets(): Promise<{ logs: ReleaseLogEntry[][]; e2e: E2eRun[] }> {
  const logs: ReleaseLogEntry[][] = [];
  const e2e: string[] = [];
  for (const name of ["staging", "production"] as const) {
    const env = deployEnv(name);
    if (!env[`${name.toUpperCase()}_SSH_HOST`]) continue;
    const t = resolveTarget(name, env);
    try {
      const remote = sshRemote({ ...t.target, keyFile: t.keyFile, knownHostsFile: t.knownHostsFile });
      const r = await remote.run(`cd "$1" && ${READ}`, [t.target.basePath]);
      const [log, ...records] = r.stdout.split("@@E2E\n");
      logs.push(parseReleaseLog(log));
      e2e.push(...records);
    } finally {
      t.dispose();
    }
  }
  if (!logs.length)
    throw new MetricsInputError(
      "no release log: pass --release-log FILE (and --e2e-records DIR), or set STAGING_*/PRODUCTION_* (see docs/deploy.md)",
    );
  return { logs, e2e: parseRecords(e2e) };
}

/** `metrics [--since D] [--until D] [--release-log F]... [--e2e-records DIR] [--html FILE] [--json]`. */
export async function metricsCommand(f: Record<string, unknown>, source: string, config: string): Promise<number> {
  const cfg = readConfig(source, config);
  const { from, to } = metricsPeriod(f.since as string, f.until as string);
  const { logs, e2e } = await readHistory(f);
  const rows = computeMetrics({ logs, e2e, from, to, ratePerMinute: cfg.billing.ratePerMinute });
  console.log(f.json ? JSON.stringify({ from, to, rows }, null, 2) : formatMetricsTable(rows, from, to));
  if (f.html) {
    const file = resolve(f.html as string);
    mkdirSync(dirname(file), { recursive: true });
    const t = cfg.thresholds.deploy;
    const period = `${from.toISOString().slice(0, 10)} .. ${to.toISOString().slice(0, 10)}`;
    writeFileSync(
      file,
      metricsPage({
        rows,
        days: dailySeries(logs, from, to),
        durations: durations(logs, from, to),
        threshold: t,
        period,
      }),
    );
    console.log(`metrics page: ${file} (open it in a browser; no server needed)`);
  }
  return 0;
}
