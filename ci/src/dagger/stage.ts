import { StageFailure } from "../plan/errors";
import type { Directory } from "@dagger.io/dagger";
import { isExecError } from "./execError";
import { jobContainer } from "./job";
import { allSteps, type Job, type StagePlan } from "../plan/job";
import { coverageFrom, formatMetrics, measureStage } from "../plan/report/metrics";
import { explainFailure, formatSummary, stagePassed, type JobResult } from "../plan/report/summary";

/** A stage that failed: carries every job's result and the failing jobs' output. */
export class StageFailed extends StageFailure {
  constructor(
    readonly results: JobResult[],
    summary: string,
  ) {
    super(summary);
  }
}

/**
 * Run every job of a stage in parallel on the engine; return the summary (skipped jobs included) or throw StageFailed.
 */
export async function runStage(source: Directory, stage: StagePlan, skipped: JobResult[] = []): Promise<string> {
  const started = Date.now();
  const results = [...(await Promise.all(stage.jobs.map((job) => runJob(source, job)))), ...skipped];
  const metrics = measureStage(stage.name, results, (Date.now() - started) / 1000, stage.threshold, stage.metrics);
  const summary = `${formatSummary(stage.name, results)}\n\n${formatMetrics(metrics)}`;
  if (stagePassed(results)) return summary;
  const details = results
    .filter((r) => r.status === "failed")
    .map((r) => `--- ${r.job} failed at step ${r.failedStep} ---\n${r.output ?? ""}`);
  throw new StageFailed(results, [summary, ...details].join("\n\n"));
}

async function runJob(source: Directory, job: Job): Promise<JobResult> {
  const started = Date.now();
  const base = { job: job.name, threshold: job.threshold };
  try {
    // The last step's stdout carries what the summary measures (pytest-cov's total).
    const coverage = coverageFrom(await jobContainer(source, job).stdout());
    return {
      ...base,
      status: "passed",
      seconds: (Date.now() - started) / 1000,
      ...(coverage === undefined ? {} : { coverage }),
    };
  } catch (e) {
    if (!isExecError(e)) throw e;
    const output = `${e.stdout}\n${e.stderr}`;
    const step = allSteps(job).find((s) => s.argv.join("\u0000") === e.cmd.join("\u0000"));
    return {
      ...base,
      status: "failed",
      seconds: (Date.now() - started) / 1000,
      failedStep: step?.name ?? e.cmd.join(" "),
      reason: `exit ${e.exitCode}\n${explainFailure(output)}`,
      output,
      ...(coverageFrom(output) === undefined ? {} : { coverage: coverageFrom(output) }),
    };
  }
}
