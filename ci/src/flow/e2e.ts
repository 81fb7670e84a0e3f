/**
 * The E2E stage written once: the shards ‖ the backend E2E, merge the blobs, summarise (with a problem for every lost
 * blob), then notify, alert, record and write the report with its summary, status and promotion record. The split
 * form (end-to-end-merge) enters at the merge with the blobs other machines sent. `Blob` and `Report` are the
 * runner's own handles: a Directory on the engine, a folder here.
 */
import type { AlertEvent } from "../plan/deploy/alerts";
import { e2eFailure } from "../plan/e2e/alerts";
import { MalformedReportError, parseReport, type PwReport } from "../plan/e2e/playwrightReport";
import { parsePytestJunit } from "../plan/e2e/pytestJunit";
import { e2eReportFiles } from "../plan/e2e/reportFiles";
import { blobShardRuns, shardProblems, type RerunContext } from "../plan/e2e/split";
import type { E2ePlan } from "../plan/e2e/stage";
import { judgeQuality, type QualityPlan } from "../plan/e2e/quality/plan";
import type { QualityResult } from "../plan/e2e/quality/result";
import { summarizeE2e, type E2eSummary, type ShardRun } from "../plan/e2e/summary";
import { withVerdicts } from "./verdict";

/** How one shard ended: its exit, whether it was killed outright, its wall seconds, and its blob if it wrote one. */
export interface ShardEnd<Blob> {
  exitCode: number;
  killed: boolean;
  seconds: number;
  blob?: Blob;
}

/** How the merge ended: the report and its results.json when it wrote them, or why they cannot be read. */
export interface MergeEnd<Report> {
  exitCode: number;
  killed: boolean;
  report?: Report;
  results?: string;
  /** Why results.json was not read though it is there (too big to read): a problem of the run. */
  problem?: string;
}

/** How the backend E2E ended: pytest's exit and its JUnit XML, if written. */
export interface BackendEnd {
  exitCode: number;
  junit?: string;
}

/** What the quality job left: the outputs the verdicts read (path → text, undefined when absent), and its folder. */
export interface QualityEnd<Report> {
  outputs: Record<string, string | undefined>;
  dir?: Report;
}

/** What the E2E stage needs from a runner. */
export interface E2ePorts<Blob, Report, Written = void> {
  /** Run every shard job at once; one end per shard, in order. */
  runShards(plan: E2ePlan): Promise<ShardEnd<Blob>[]>;
  runBackend(plan: E2ePlan): Promise<BackendEnd>;
  /** Run merge-reports over the blobs gathered in one folder. */
  merge(plan: E2ePlan, blobs: Blob[]): Promise<MergeEnd<Report>>;
  /** Write the quality plan's files and run its job against the app; never throws on a failing check. */
  runQuality(quality: QualityPlan): Promise<QualityEnd<Report>>;
  /** Post the summary to the notification webhooks; a warning per webhook that did not take it. */
  notify(s: E2eSummary): Promise<string[]>;
  /** Send events to their severity's channels; a warning per channel that is down. */
  alert(events: AlertEvent[]): Promise<string[]>;
  /** Keep the promotion record where deploy-production reads it (staging, or this machine); warnings if not. */
  writeRecord(s: E2eSummary): Promise<string[]>;
  /** The report: Playwright's merged report (none: an empty one) plus the given files, by path, and `quality/`. */
  writeReport(report: Report | undefined, files: Record<string, string>, quality?: Report): Promise<Written>;
}

/** What the run is: the commit under test, how to re-run a lost shard, the run's own warnings, and the clock. */
export interface E2eContext {
  commit?: string;
  total: number;
  rerun: RerunContext;
  warnings: string[];
  now(): Date;
}

/** How the stage went: the summary, every warning, the files added to the report, and the report written. */
export interface E2eOutcome<Written = void> {
  summary: E2eSummary;
  warnings: string[];
  files: Record<string, string>;
  report: Written;
}

/** Run the whole E2E stage on one runner. */
export async function e2eFlow<B, R, W>(
  plan: E2ePlan,
  ctx: E2eContext,
  ports: E2ePorts<B, R, W>,
): Promise<E2eOutcome<W>> {
  const backend = ports.runBackend(plan);
  // It is awaited after the shards; until then a rejection is not yet unhandled.
  backend.catch(() => undefined);
  const ends = await ports.runShards(plan);
  const runs: ShardRun[] = plan.assignment.shards.map((s, i) => ({
    index: s.index,
    files: s.files,
    exitCode: ends[i].exitCode,
    seconds: ends[i].seconds,
  }));
  const outcomes = ends.map((e, i) => ({ index: i + 1, ...e, wroteBlob: e.blob !== undefined && !e.killed }));
  const problems = shardProblems(outcomes, ctx.total, ctx.rerun);
  const blobs = ends.flatMap((e) => (e.blob !== undefined && !e.killed ? [e.blob] : []));
  return finish(plan, ctx, ports, { runs, problems, backend, merged: mergeOf(plan, ports, blobs) });
}

/** Merge the blobs other machines sent (named by `blobNames`, all in `blobs`) beside the backend E2E. */
export async function e2eMergeFlow<B, R, W>(
  plan: E2ePlan,
  ctx: E2eContext,
  blobNames: string[],
  blobs: B,
  ports: E2ePorts<B, R, W>,
): Promise<E2eOutcome<W>> {
  const { runs, problems } = blobShardRuns(plan, blobNames, ctx.total, ctx.rerun);
  const given = runs.some((r) => r.exitCode === 0) ? [blobs] : [];
  return finish(plan, ctx, ports, {
    runs,
    problems,
    backend: ports.runBackend(plan),
    merged: mergeOf(plan, ports, given),
  });
}

/** merge-reports is not run on no blob (it throws "No report files found"); a merge that wrote nothing says so. */
async function mergeOf<B, R, W>(
  plan: E2ePlan,
  ports: E2ePorts<B, R, W>,
  blobs: B[],
): Promise<{ end?: MergeEnd<R>; problems: string[] }> {
  if (!blobs.length) return { problems: [] };
  const end = await ports.merge(plan, blobs);
  if (end.problem) return { end, problems: [end.problem] };
  if (end.results !== undefined && !end.killed) return { end, problems: [] };
  return {
    problems: [`merge-reports ${end.killed ? "was killed" : "exited"} (exit ${end.exitCode}) and wrote no report`],
  };
}

async function finish<B, R, W>(
  plan: E2ePlan,
  ctx: E2eContext,
  ports: E2ePorts<B, R, W>,
  r: {
    runs: ShardRun[];
    problems: string[];
    backend: Promise<BackendEnd>;
    merged: Promise<{ end?: MergeEnd<R>; problems: string[] }>;
  },
): Promise<E2eOutcome<W>> {
  const [backend, merged] = await Promise.all([r.backend, r.merged]);
  // After the shards and the merge, so Lighthouse's timings do not share the CPU with them.
  const quality = await e2eQualityFlow(plan.quality, ports);
  const read = readMerged(merged.end?.results);
  const summary = summarizeE2e({
    suite: plan.suite,
    mode: plan.assignment.mode,
    modeReason: plan.assignment.reason,
    shards: r.runs,
    report: read.report,
    backend: parsePytestJunit(backend.junit, backend.exitCode),
    problems: [...r.problems, ...merged.problems, ...(read.problem ? [read.problem] : [])],
    quality: quality.results,
    specFiles: plan.specFiles,
  });
  // Telling and recording are independent: one that throws (a webhook's image that cannot be pulled, a refused
  // connection) is a warning, and never costs the record, the others or the report.
  // Each called inside a promise, so a port that throws as it is called (before returning one) is settled too.
  const said = await Promise.allSettled(
    [
      () => ports.notify(summary),
      () => ports.alert(e2eFailure(summary, ctx.commit)),
      () => ports.writeRecord(summary),
    ].map((tell) => Promise.resolve().then(tell)),
  );
  const what = [
    "the E2E notification could not be sent",
    "the E2E alert could not be sent",
    "the E2E record was not written",
  ];
  const told = said.flatMap((s, i) =>
    s.status === "fulfilled" ? s.value : [`${what[i]} (${firstLine(s.reason)}); the E2E result stands`],
  );
  const warnings = [...ctx.warnings, ...told].map((w) => (w.startsWith("warning: ") ? w : `warning: ${w}`));
  const files = e2eReportFiles(summary, warnings, ctx.commit, ctx.now());
  return { summary, warnings, files, report: await ports.writeReport(merged.end?.report, files, quality.dir) };
}

/** Run the quality job (when a check is on), judge each check with its one-line verdict; its folder for the report. */
export async function e2eQualityFlow<R>(
  quality: QualityPlan | undefined,
  ports: Pick<E2ePorts<unknown, R, unknown>, "runQuality">,
): Promise<{ results?: QualityResult[]; dir?: R }> {
  if (!quality) return {};
  const end = await ports.runQuality(quality);
  return { results: withVerdicts(judgeQuality(quality, end.outputs)), dir: end.dir };
}

/**
 * The merged report, or why it cannot be used: the repository's Playwright and config wrote it, so any shape can come,
 * and one the summary cannot walk makes the run red, never a crash that leaves the last run's green status standing.
 */
function readMerged(json: string | undefined): { report?: PwReport; problem?: string } {
  if (!json) return {};
  try {
    return { report: parseReport(json) };
  } catch (e) {
    const why = e instanceof MalformedReportError ? e.problem : firstLine(e);
    return { problem: `merge-reports wrote a results.json that is not a Playwright JSON report (${why})` };
  }
}

/** The first line of a thrown error's message, at most 200 characters. */
function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0].slice(0, 200);
}
