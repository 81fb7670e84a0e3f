import { delimiter, resolve } from "node:path";
import type { StagePlan } from "../../ci/src/plan/job";
import { measureStage, type StageMetrics } from "../../ci/src/plan/report/metrics";
import { formatSummary, stagePassed, type JobResult } from "../../ci/src/plan/report/summary";
import { dryRunExecutor, processExecutor, type PlannedCommand } from "./exec";
import { preflight } from "./preflight";
import { runHostJob } from "./job";

/** Project-local tools (FerretDB built by scripts/setup.sh) come first on PATH. */
export const TOOLS_BIN = resolve(import.meta.dirname, "../../.tools/bin");

export interface HostStageResult {
  passed: boolean;
  results: JobResult[];
  summary: string;
  metrics: StageMetrics;
  /** With dryRun: every command the stage would run, in order per job. */
  planned: PlannedCommand[];
}

/** Run every job of a stage in parallel as host processes; print the summary table at the end. */
export async function runHostStage(
  stage: StagePlan,
  sourceDir: string,
  opts: { dryRun?: boolean; env?: NodeJS.ProcessEnv; skipped?: JobResult[] } = {},
): Promise<HostStageResult> {
  const env = { ...(opts.env ?? process.env) };
  env.PATH = [TOOLS_BIN, env.PATH ?? ""].join(delimiter);
  const planned: PlannedCommand[] = [];
  const started = Date.now();
  if (!opts.dryRun) await preflight(stage.jobs, sourceDir, env);
  const results = await Promise.all(
    stage.jobs.map((job, index) =>
      runHostJob(job, {
        sourceDir,
        env,
        index,
        exec: opts.dryRun ? dryRunExecutor(job.name, planned) : processExecutor,
        startServices: !opts.dryRun,
        out: opts.dryRun ? process.stderr : process.stdout,
      }),
    ),
  );
  const all = [...results, ...(opts.skipped ?? [])];
  const metrics = measureStage(stage.name, all, (Date.now() - started) / 1000, stage.threshold, stage.metrics);
  return { passed: stagePassed(all), results: all, summary: formatSummary(stage.name, all), metrics, planned };
}
