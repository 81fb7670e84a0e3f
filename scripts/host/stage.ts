import { delimiter, resolve } from "node:path";
import type { Job, StagePlan } from "../../ci/src/plan/job";
import { measureStage, type StageMetrics } from "../../ci/src/plan/report/metrics";
import { formatSummary, stagePassed, type JobResult } from "../../ci/src/plan/report/summary";
import { dryRunExecutor, processExecutor, type PlannedCommand } from "./exec";
import { preflight } from "./preflight";
import { runHostJob } from "./job";
import { findPython } from "./python";

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

/** The interpreter uv is to use, as a path this machine has (pyenv installs included). */
async function hostOverrides(job: Job, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const version = job.tools.find((t) => t.python)?.python;
  const path = version ? await findPython(version, env) : undefined;
  return path ? { UV_PYTHON: path } : {};
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
  const overrides = await Promise.all(stage.jobs.map((job) => hostOverrides(job, env)));
  const results = await Promise.all(
    stage.jobs.map((job, index) =>
      runHostJob(job, {
        sourceDir,
        env,
        index,
        exec: opts.dryRun ? dryRunExecutor(job.name, planned) : processExecutor,
        startServices: !opts.dryRun,
        out: opts.dryRun ? process.stderr : process.stdout,
        overrides: overrides[index],
      }),
    ),
  );
  const all = [...results, ...(opts.skipped ?? [])];
  const metrics = measureStage(stage.name, all, (Date.now() - started) / 1000, stage.threshold, stage.metrics);
  return { passed: stagePassed(all), results: all, summary: formatSummary(stage.name, all), metrics, planned };
}
