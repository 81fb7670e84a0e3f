/**
 * Stage metrics (docs/requirements.md#R-durations, R-coverage, R-billing): each stage's duration against its
 * threshold, the coverage gate, and an estimate of the GitHub Actions minutes and cost of the run. Pure.
 */
import type { Threshold } from "../job";
import { rate, stagePassed, stripAnsi, type JobResult } from "./summary";

export interface StageMetrics {
  stage: string;
  passed: boolean;
  seconds: number;
  threshold: Threshold;
  rating: ReturnType<typeof rate>;
  /** Backend line coverage, when a job printed it, against the configured minimum. */
  coverage?: { percent: number; min: number };
  /** GitHub bills each job's minutes rounded up; one `dagger call` is one job. */
  billedMinutes: number;
  cost: number;
  ratePerMinute: number;
}

/** Measure a finished stage: wall time, its rating, coverage seen, minutes and cost. */
export function measureStage(
  stage: string,
  results: JobResult[],
  seconds: number,
  threshold: Threshold,
  opts: { ratePerMinute: number; coverageMin: number },
): StageMetrics {
  const percents = results.map((r) => r.coverage).filter((c): c is number => c !== undefined);
  const billedMinutes = Math.max(1, Math.ceil(seconds / 60));
  return {
    stage,
    passed: stagePassed(results),
    seconds,
    threshold,
    rating: rate(seconds, threshold),
    ...(percents.length ? { coverage: { percent: Math.min(...percents), min: opts.coverageMin } } : {}),
    billedMinutes,
    cost: billedMinutes * opts.ratePerMinute,
    ratePerMinute: opts.ratePerMinute,
  };
}

/** The metric lines under a summary table; over a threshold they start with "warning:". */
export function formatMetrics(m: StageMetrics): string {
  const warn = m.rating === "ok" ? "" : `warning: ${m.rating === "ALERT" ? "ALERT, " : ""}`;
  const lines = [
    `${warn}stage ${m.stage}: ${m.seconds.toFixed(1)}s (target < ${minutes(m.threshold.targetSeconds)}, alert > ${minutes(m.threshold.alertSeconds)}): ${m.rating}`,
  ];
  if (m.coverage) {
    const ok = m.coverage.percent >= m.coverage.min;
    lines.push(
      `${ok ? "" : "warning: "}coverage: ${m.coverage.percent.toFixed(2)}% (minimum ${m.coverage.min}%): ${ok ? "ok" : "below"}`,
    );
  }
  lines.push(`GitHub Actions estimate: ${m.billedMinutes} min × $${m.ratePerMinute} = $${m.cost.toFixed(3)}`);
  return lines.join("\n");
}

/** The same summary as Markdown, for $GITHUB_STEP_SUMMARY. */
export function formatMarkdown(m: StageMetrics, results: JobResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.job} | ${icon(r.status)} ${r.status} | ${r.seconds.toFixed(1)}s | ${cell(r.status === "failed" ? `step ${r.failedStep}: ${firstLine(r.reason)}` : (r.reason ?? ""))} |`,
  );
  return [
    `### ${m.stage}: ${m.passed ? "passed" : "FAILED"}`,
    "",
    "| job | status | duration | detail |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    ...formatMetrics(m)
      .split("\n")
      .map((l) => `- ${l.startsWith("warning:") ? `⚠️ ${l}` : l}`),
    "",
  ].join("\n");
}

/** One JUnit testsuite for the stage, a testcase per job, for CI test-report viewers. */
export function formatJunit(m: StageMetrics, results: JobResult[]): string {
  const failures = results.filter((r) => r.status === "failed").length;
  const skipped = results.filter((r) => r.status === "skipped").length;
  const cases = results.map((r) => {
    const open = `  <testcase classname="${xml(m.stage)}" name="${xml(r.job)}" time="${r.seconds.toFixed(3)}"`;
    if (r.status === "failed")
      return `${open}>\n    <failure message="${xml(`step ${r.failedStep} failed`)}">${xml(r.reason ?? "")}</failure>\n  </testcase>`;
    if (r.status === "skipped") return `${open}>\n    <skipped message="${xml(r.reason ?? "")}"/>\n  </testcase>`;
    return `${open}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="${xml(m.stage)}" tests="${results.length}" failures="${failures}" skipped="${skipped}" time="${m.seconds.toFixed(3)}">`,
    ...cases,
    "</testsuite>",
    "",
  ].join("\n");
}

/** The total coverage pytest-cov printed, if any. */
export function coverageFrom(output: string): number | undefined {
  const m =
    /Total coverage: ([\d.]+)%/.exec(stripAnsi(output)) ??
    /^TOTAL\s+\d+\s+\d+\s+(?:\d+\s+\d+\s+)?([\d.]+)%/m.exec(stripAnsi(output));
  return m ? Number(m[1]) : undefined;
}

function minutes(s: number): string {
  return `${+(s / 60).toFixed(2)} min`;
}

function icon(status: JobResult["status"]): string {
  return status === "passed" ? "✅" : status === "failed" ? "❌" : "⏭️";
}

function firstLine(s?: string): string {
  return (
    (s ?? "")
      .split("\n")
      .find((l) => l.trim() && !/^exit \d+$/.test(l.trim()))
      ?.trim() ?? ""
  );
}

function cell(s: string): string {
  return s.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function xml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] as string,
  );
}
