/**
 * `metrics`: the pipeline's success metrics (docs/requirements.md#R-metrics) for a period
 * (ci/src/plan/deploy/metrics.ts), from release logs and E2E records given as files (--release-log, --e2e-records),
 * else read over SSH from the configured targets' `.dep/`. Prints the table; --html writes the page.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { computeMetrics, formatMetricsTable, periodText, type E2eRun } from "../../ci/src/plan/deploy/metrics";
import { dailySeries, durations, metricsPage } from "../../ci/src/plan/deploy/metricsPage";
import { MetricsInputError, metricsPeriod, parseE2eRuns } from "../../ci/src/plan/deploy/period";
import { parseReleaseLog, type ReleaseLogEntry } from "../../ci/src/plan/deploy/releaseLog";
import { sshRemote } from "../deploy/remote";
import { readConfig } from "./config";
import { StageFailure } from "../../ci/src/plan/errors";
import { RECORD_MAX_BYTES } from "../../ci/src/plan/deploy/promotion";
import { checkSshFiles, deployEnv, resolveTarget } from "./target";

/** Release logs and E2E records from files, or from the targets over SSH. */
async function readHistory(f: Record<string, unknown>): Promise<{ logs: ReleaseLogEntry[][]; e2e: E2eRun[] }> {
  const files = (f["release-log"] as string[] | undefined) ?? [];
  const dir = f["e2e-records"] as string | undefined;
  if (files.length || dir) {
    for (const p of [...files, ...(dir ? [dir] : [])])
      if (!existsSync(p)) throw new MetricsInputError(`${p} does not exist; pass a releases.jsonl or an e2e dir`);
    const e2e = dir
      ? readdirSync(dir)
          // Regular files only, as the reader over SSH (`[ -f ]`): a FIFO would block the read, a folder fail it; and
          // no longer than a record (RECORD_MAX_BYTES, as over SSH), where a file of gigabytes crashed the read.
          .filter((n) => {
            const st = n.endsWith(".json") ? statSync(join(dir, n), { throwIfNoEntry: false }) : undefined;
            return !!st?.isFile() && st.size <= RECORD_MAX_BYTES;
          })
          .map((n) => readFileSync(join(dir, n), "utf8"))
      : [];
    return { logs: files.map((p) => parseReleaseLog(readFileSync(p, "utf8"))), e2e: parseE2eRuns(e2e) };
  }
  return readTargets();
}

/** The newest part of a server's release log metrics reads: years of deploys; a line cut at its start is skipped. */
export const METRICS_LOG_MAX_BYTES = 64 * 1024 * 1024;

/**
 * What metrics runs in a server's base: the release log's newest METRICS_LOG_MAX_BYTES, then each E2E record, at most
 * one byte past RECORD_MAX_BYTES (a longer one then reads as no record), regular files only. Read whole with `cat`, a 4
 * GiB record (written by hand, or by a key that writes staging) took 42 s and 4.9 GB before a RangeError stack trace,
 * as the gate's own read did before 5f3af03. Always exit 0: a failing ssh is the only failure.
 */
export const METRICS_READ =
  `if [ -f .dep/releases.jsonl ]; then tail -c ${METRICS_LOG_MAX_BYTES} .dep/releases.jsonl 2>/dev/null; fi; ` +
  `for f in .dep/e2e/*.json; do [ -f "$f" ] && { echo "@@E2E"; head -c ${RECORD_MAX_BYTES + 1} -- "$f" 2>/dev/null; }; done; true`;

async function readTargets(): Promise<{ logs: ReleaseLogEntry[][]; e2e: E2eRun[] }> {
  const logs: ReleaseLogEntry[][] = [];
  const e2e: string[] = [];
  for (const name of ["staging", "production"] as const) {
    const env = deployEnv(name);
    if (!env[`${name.toUpperCase()}_SSH_HOST`]) continue;
    // A read: no app secret is asked for (as rollback and staging-commit).
    const t = resolveTarget(name, env, { appSecrets: false });
    try {
      await checkSshFiles(t);
      const remote = sshRemote({ ...t.target, keyFile: t.keyFile, knownHostsFile: t.knownHostsFile, typed: t.typed });
      const r = await remote.run(`cd "$1" && ${METRICS_READ}`, [t.target.basePath]);
      // The remote script itself always exits 0: anything else is ssh failing, never an empty history.
      if (r.code !== 0)
        throw new StageFailure(
          `reading the release log at ${t.target.user}@${t.target.host}:${t.target.basePath} over ssh failed (exit ${r.code}): ${r.stderr.trim().split("\n").slice(-2).join(" ")}. Check the connection: ${remote.typed("true")}`,
        );
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
  return { logs, e2e: parseE2eRuns(e2e) };
}

/** `metrics [--since D] [--until D] [--release-log F]... [--e2e-records DIR] [--html FILE] [--json]`. */
export async function runMetrics(f: Record<string, unknown>, source: string, config: string): Promise<number> {
  const cfg = await readConfig(source, config);
  const { from, to } = metricsPeriod(f.since as string, f.until as string, new Date());
  const { logs, e2e } = await readHistory(f);
  const rows = computeMetrics({ logs, e2e, from, to, ratePerMinute: cfg.billing.ratePerMinute });
  console.log(f.json ? JSON.stringify({ from, to, rows }, null, 2) : formatMetricsTable(rows, from, to));
  if (f.html) {
    const file = resolve(f.html as string);
    mkdirSync(dirname(file), { recursive: true });
    const t = cfg.thresholds.deploy;
    const period = periodText(from, to);
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
