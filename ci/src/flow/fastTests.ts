/**
 * The fast-tests stage written once: resolve the trigger, skip the jobs the diff leaves alone, check, run the rest in
 * parallel, measure, report, raise the coverage-drop alert, and say how to re-run each failed job. The Dagger runner
 * runs jobs as containers, the host runner as processes; both pass only those adapters.
 */
import type { PipelineConfig } from "../plan/config/defaults";
import type { AlertEvent } from "../plan/deploy/alerts";
import { coverageDrops } from "../plan/fastTests/alerts";
import { selectFastTests, type FastTestsSelection } from "../plan/fastTests/selection";
import { formatStepLines } from "../plan/fastTests/criticalPath";
import { cacheScopeOf, scopeJob } from "../plan/triggers/cacheScope";
import { JOB_COMMANDS } from "../plan/fastTests/stage";
import type { Job, StagePlan } from "../plan/job";
import { formatMetrics, measureStage, type StageMetrics } from "../plan/report/metrics";
import { formatFailure, formatSummary, stagePassed, type JobResult } from "../plan/report/summary";
import { qualityChecksFor, qualityRow, qualityChecksFlow, type QualityPorts } from "./quality";
import type { ResolvedTrigger } from "./triggers";

/** What the stage needs from a runner. */
export interface FastTestsPorts extends QualityPorts {
  /** The trigger, with the diff when the call gave base/head or an event file. */
  resolveTrigger(): Promise<ResolvedTrigger>;
  /** Make each job's pinned toolchain ready (the host provisions Node); one line per tool: which version, and why. */
  toolchains(jobs: Job[]): Promise<string[]>;
  /** Check, before any job starts, that the jobs can run here (tools, services); throw an InputError if not. */
  preflight(jobs: Job[]): Promise<void>;
  /** Run one job to its end; a failing step gives a failed result, never a rejection. */
  runJob(job: Job): Promise<JobResult>;
  /** Milliseconds, to time the stage. */
  now(): number;
  /** Keep the stage's reports (Markdown, JUnit) where the runner keeps them; the lines saying where. */
  writeReport(m: StageMetrics, results: JobResult[]): Promise<string[]>;
  /** Send events to their severity's channels; a channel that is down gives a warning line, never a rejection. */
  alert(events: AlertEvent[]): Promise<string[]>;
  /** The runner's command line that runs one named command alone, e.g. `npm run pipeline -- frontend-checks ...`. */
  rerunCommand(command: string): string;
}

/** How the stage went, in the words both runners print. */
export interface FastTestsOutcome {
  passed: boolean;
  results: JobResult[];
  metrics: StageMetrics;
  /** `warning: …` lines: path filtering's doubts, alert channels that were down. */
  warnings: string[];
  /** The summary table, the stage's metrics and where its reports are. */
  summary: string;
  /** One block per failed job: where, why, and the command that re-runs it alone. */
  failures: string[];
}

/** Run the fast-tests stage (or the one job of frontend-checks/backend-tests) over a runner's ports. */
export async function fastTestsFlow(
  stage: StagePlan,
  c: PipelineConfig,
  ports: FastTestsPorts,
): Promise<FastTestsOutcome> {
  const trigger = await ports.resolveTrigger();
  // A pull request's code reads and writes caches of its own (plan/triggers/cacheScope.ts).
  const scope = cacheScopeOf(trigger);
  const sel = selectJobs(stage, c, trigger);
  const jobs = sel.stage.jobs.map((j) => scopeJob(j, scope));
  const checks = (stage.qualityChecks ? qualityChecksFor(c, trigger) : []).map((p) => ({
    ...p,
    scans: p.scans.map((s) => scopeJob(s, scope)),
  }));
  const started = ports.now();
  const toolchains = await ports.toolchains(jobs);
  await ports.preflight([...jobs, ...checks.flatMap((p) => p.scans)]);
  const [ran, quality] = await Promise.all([
    Promise.all(jobs.map((j) => ports.runJob(j))),
    qualityChecksFlow(checks, c, ports),
  ]);
  const rows = quality.results.map((r, i) => qualityRow(r, c, checks[i]));
  const results = [...ran, ...sel.skipped, ...rows];
  const metrics = measureStage(stage.name, results, (ports.now() - started) / 1000, stage.threshold, stage.metrics);
  const reports = [...(await ports.writeReport(metrics, results)), ...quality.reports];
  const down = await ports.alert(coverageDrops(results, stage.metrics.coverageMin));
  const failures = results
    .filter((r) => r.status === "failed")
    .map((r) => formatFailure(r, ports.rerunCommand(JOB_COMMANDS[r.job] ?? stage.name)));
  return {
    passed: stagePassed(results),
    results,
    metrics,
    warnings: [...sel.warnings, ...down].map((w) => (w.startsWith("warning: ") ? w : `warning: ${w}`)),
    summary: [
      formatSummary(stage.name, results),
      ...formatStepLines(results),
      "",
      formatMetrics(metrics),
      ...toolchains,
      ...(scope.trusted ? [] : [`caches: ${scope.name}'s own (a pull request's code never writes the shared caches)`]),
      ...reports,
    ].join("\n"),
    failures,
  };
}

/** Every job, or, with a diff, the jobs it touches and a skipped result (with its reason) for the others. */
function selectJobs(stage: StagePlan, c: PipelineConfig, t: ResolvedTrigger): FastTestsSelection {
  if (!t.resolution) return { stage, skipped: [], warnings: [] };
  return selectFastTests(stage, { ...t, resolution: t.resolution }, c);
}
