import type { BalanceMode } from "./shards";
import { loggable, printable } from "../triggers/commits";
import { reportedTests, type PwReport } from "./playwrightReport";
import type { BackendE2eResult } from "./pytestJunit";
import type { QualityResult } from "./quality/result";

export type Suite = "smoke" | "full";

/**
 * What one shard did: its files (balanced mode), exit code and wall seconds (null: it ran on its own machine, untimed
 * here).
 */
export interface ShardRun {
  index: number;
  files: string[];
  exitCode: number;
  seconds: number | null;
}

/** The E2E result as both runners report it, and as the summary file in the report holds it. */
export interface E2eSummary {
  status: "passed" | "failed";
  suite: Suite;
  mode: BalanceMode;
  modeReason: string;
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
  durationSeconds: number;
  failedTests: string[];
  flakyTests: string[];
  shards: ShardRun[];
  slowestShard?: { index: number; seconds: number };
  backend?: BackendE2eResult;
  /** Why the run is red besides failed tests: no merged report, a shard that crashed. */
  problems: string[];
  /** The E2E quality checks' verdicts (a failed one makes the run red). */
  quality?: QualityResult[];
}

export interface SummaryInput {
  suite: Suite;
  mode: BalanceMode;
  modeReason: string;
  shards: ShardRun[];
  /** The merged report; undefined when merge-reports produced none. */
  report?: PwReport;
  backend?: BackendE2eResult;
  /** Problems the runner found itself, e.g. a shard whose blob report never arrived. */
  problems?: string[];
  quality?: QualityResult[];
  /** Every spec file the plan found (relative to the testDir): a full run's merged report must hold each. */
  specFiles?: string[];
}

/** Summarise a run. Flaky (passed on the retry) does not fail it; a test failing every attempt does. */
export function summarizeE2e(input: SummaryInput): E2eSummary {
  const tests = input.report ? reportedTests(input.report) : [];
  // Test names and errors are repository text bound for the terminal, a CI log, summary.txt and the webhooks: one line
  // each, with no escape sequence, line break or `##[` command of their own (a title can hold any of them).
  const named = (status: string) =>
    tests.filter((t) => t.test.status === status).map((t) => loggable(`${t.file} › ${t.title}`));
  const failedTests = named("unexpected");
  const problems: string[] = [...(input.problems ?? [])];
  if (!input.report) problems.push("no merged report: merge-reports failed or no shard wrote a blob");
  for (const e of input.report?.errors ?? []) problems.push(`Playwright error: ${loggable(firstLine(e.message))}`);
  if (input.report && failedTests.length === 0) {
    // An untimed shard ran elsewhere: its exit code is inferred from its blob, and a missing blob is already a runner
    // problem.
    for (const s of input.shards.filter((x) => x.exitCode !== 0 && x.seconds !== null))
      problems.push(`shard ${s.index} exited ${s.exitCode} without a failed test`);
  }
  if (input.report && failedTests.length + named("expected").length + named("flaky").length === 0)
    problems.push(nothingRan(input.suite, named("skipped").length));
  if (input.report && input.suite === "full") problems.push(...unreported(input.specFiles ?? [], tests));
  if (input.backend?.problem) problems.push(`backend E2E: ${input.backend.problem}`);
  const timed = input.shards.filter((s): s is ShardRun & { seconds: number } => s.seconds !== null);
  const slowest = timed.reduce<(typeof timed)[number] | undefined>(
    (a, s) => (!a || s.seconds > a.seconds ? s : a),
    undefined,
  );
  const backendRed = !!input.backend && (input.backend.failed > 0 || input.backend.exitCode !== 0);
  const qualityRed = (input.quality ?? []).some((q) => q.status === "failed");
  const red = failedTests.length > 0 || problems.length > 0 || backendRed || qualityRed;
  return {
    status: red ? "failed" : "passed",
    suite: input.suite,
    mode: input.mode,
    modeReason: input.modeReason,
    passed: named("expected").length,
    failed: failedTests.length,
    flaky: named("flaky").length,
    skipped: named("skipped").length,
    durationSeconds: (input.report?.stats.duration ?? 0) / 1000,
    failedTests,
    flakyTests: named("flaky"),
    shards: input.shards,
    slowestShard: slowest && { index: slowest.index, seconds: slowest.seconds },
    backend: input.backend && { ...input.backend, failedTests: input.backend.failedTests.map(loggable) },
    problems,
    // A check's lines quote what its tools wrote in the frontend (axe's selectors and help), which the app can rewrite.
    ...(input.quality
      ? {
          quality: input.quality.map((q) => ({ ...q, verdict: loggable(q.verdict), details: q.details.map(loggable) })),
        }
      : {}),
  };
}

/**
 * A merged report in which no test ran: Playwright passes a shard with no test (`--pass-with-no-tests`, since a shard's
 * files may hold no test of the suite), so a smoke tag that no test carries, every test skipped, or blobs holding no
 * test would otherwise make a green run, and a promotion record, out of no browser test at all.
 */
function nothingRan(suite: Suite, skipped: number): string {
  const fix =
    suite === "smoke"
      ? "tag the smoke tests with e2e.smokeTag (pipeline.yaml), or run --suite full"
      : "check that the spec files hold tests that are not skipped";
  return `no Playwright test ran (0 passed, 0 failed, ${skipped} skipped): a run that tests nothing is not green. Fix: ${fix}, and merge only this run's blobs`;
}

/**
 * The planned spec files a full run's merged report does not hold: the merge takes each `report-<i>.zip` for shard i,
 * so a blob of the smoke suite, of another --total or of an older run (or one shard's blob sent twice) would
 * otherwise make a green full run of part of the suite. A smoke run's tag picks its tests, so it is not asked.
 */
function unreported(specFiles: string[], tests: { file: string }[]): string[] {
  const seen = new Set(tests.map((t) => t.file));
  const missing = specFiles.filter((f) => !seen.has(f));
  if (!missing.length) return [];
  const shown = missing.slice(0, 5).map(printable).join(", ") + (missing.length > 5 ? ", …" : "");
  return [
    `${missing.length} of ${specFiles.length} planned spec files are not in the merged report (${shown}): a shard's blob is not this run's (another suite, --total or run?), or the file holds no test. Fix: re-run this run's shards and merge only their blobs`,
  ];
}

/**
 * A shard's time and exit, or, for a shard that ran on its own runner (end-to-end-merge), whether its blob came: the
 * merge never sees that shard's exit code (blobShardRuns records a missing blob as exit 1).
 */
function shardOutcome(x: ShardRun): string {
  if (x.seconds !== null) return `${x.seconds.toFixed(1)}s, exit ${x.exitCode}`;
  return x.exitCode === 0 ? "ran on its own runner, exit 0" : "ran on its own runner, sent no blob report";
}

/** The summary as text: verdict, counts, shards and their balance, failed and flaky names. */
export function formatE2eSummary(s: E2eSummary): string {
  const lines = [
    `e2e (${s.suite}): ${s.status === "passed" ? "passed" : "FAILED"}`,
    `playwright: ${s.passed} passed, ${s.failed} failed, ${s.flaky} flaky, ${s.skipped} skipped in ${s.durationSeconds.toFixed(1)}s`,
    `shards: ${s.shards.length}, mode ${s.mode} (${s.modeReason})`,
    ...s.shards.map(
      (x) => `  shard ${x.index}: ${shardOutcome(x)}${x.files.length ? `, ${x.files.map(loggable).join(" ")}` : ""}`,
    ),
  ];
  if (s.slowestShard) lines.push(`slowest shard: ${s.slowestShard.index} (${s.slowestShard.seconds.toFixed(1)}s)`);
  if (s.backend) {
    const b = s.backend;
    lines.push(`backend e2e: ${b.passed} passed, ${b.failed} failed, ${b.skipped} skipped (pytest exit ${b.exitCode})`);
  }
  for (const t of s.failedTests) lines.push(`FAILED ${t}`);
  for (const t of s.backend?.failedTests ?? []) lines.push(`FAILED backend ${t}`);
  for (const t of s.flakyTests) lines.push(`FLAKY ${t} (passed on retry)`);
  for (const p of s.problems) lines.push(`PROBLEM ${p}`);
  for (const q of s.quality ?? []) lines.push(q.verdict, ...q.details.map((d) => `  ${d}`));
  return lines.join("\n");
}

function firstLine(s?: string): string {
  return (
    (s ?? "")
      .split("\n")
      .find((l) => l.trim())
      ?.trim() ?? ""
  );
}
