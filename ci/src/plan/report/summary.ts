import { printable } from "../triggers/commits";
import type { StepTiming } from "../fastTests/graph";
import type { Threshold } from "../job";

export type JobStatus = "passed" | "failed" | "skipped";

/** What one job did, as both runners report it. */
export interface JobResult {
  job: string;
  status: JobStatus;
  seconds: number;
  threshold: Threshold;
  /** Failing step, when the job failed. */
  failedStep?: string;
  /** Why: the telling lines of the failing step's output, or why the job was skipped. */
  reason?: string;
  /** The failing step's full output (stdout then stderr). */
  output?: string;
  /** Line coverage the job's tests printed, percent. */
  coverage?: number;
  /** When each step started and ended, seconds from the job's first step (runners that measure it). */
  steps?: StepTiming[];
}

/** A stage fails when any job failed. */
export function stagePassed(results: JobResult[]): boolean {
  return results.every((r) => r.status !== "failed");
}

/** Rate a duration against its threshold: ok, over target, or over the alert line. */
export function rate(seconds: number, t: Threshold): "ok" | "over target" | "ALERT" {
  if (seconds > t.alertSeconds) return "ALERT";
  if (seconds > t.targetSeconds) return "over target";
  return "ok";
}

/** Format the summary table: job, status, duration against its threshold, and the reason. */
export function formatSummary(stage: string, results: JobResult[]): string {
  const rows = results.map((r) => [
    r.job,
    r.status.toUpperCase(),
    `${r.seconds.toFixed(1)}s`,
    `< ${fmtMin(r.threshold.targetSeconds)} (alert > ${fmtMin(r.threshold.alertSeconds)}): ${r.status === "skipped" ? "-" : rate(r.seconds, r.threshold)}`,
    r.status === "failed" ? `step ${r.failedStep}: ${firstLine(r.reason)}` : (r.reason ?? ""),
  ]);
  const head = ["job", "status", "duration", "threshold", "detail"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const verdict = stagePassed(results) ? "passed" : "FAILED";
  // A known root cause (an offline fetch, a missing test runner) gets one line under the table, with its fix.
  const hints = results.flatMap((r) => {
    const hint = r.status === "failed" ? /^hint: (.*)$/m.exec(r.reason ?? "")?.[1] : undefined;
    return hint ? [`${r.job}: ${hint}`] : [];
  });
  const table = [`${stage}: ${verdict}`, line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  return [...table, ...hints].join("\n");
}

function fmtMin(seconds: number): string {
  return `${+(seconds / 60).toFixed(2)} min`;
}

function firstLine(s?: string): string {
  return (
    (s ?? "")
      .split("\n")
      .find((l) => l.trim() !== "")
      ?.trim() ?? ""
  );
}

/** A failed job's story for the log: where it failed, the telling lines, and the command that re-runs it alone. */
export function formatFailure(r: JobResult, rerun: string): string {
  return `${r.job} failed at ${r.failedStep}:\n${r.reason ?? ""}\nre-run it alone: ${rerun}`;
}

/**
 * Pick the lines that explain a failure from a step's output; fall back to its last lines. The output is the
 * repository's (a pull request's): what the runner repeats in its own words (the failure story, the summary table,
 * summary.md, junit.xml, the step summary, alerts) has its control characters written as escapes, so no CR starts a
 * line there (where a GitHub runner would read a workflow command), no escape sequence reaches a terminal, and no
 * byte XML forbids reaches junit.xml.
 */
export function explainFailure(output: string, max = 12): string {
  const lines = stripAnsi(output)
    .split("\n")
    .map((l) => printable(l.replace(/\s+$/, "").replaceAll("\t", "  ")));
  const telling = lines.filter((l) =>
    /(Required test coverage|error TS\d+|✖ \d+ problems?|\d+:\d+\s+error\s|FAILED |^\s*FAIL\s|^\s*×\s|AssertionError|Error:|ERROR|Failed to compile|Type error|ERROR: Coverage|Coverage for .* does not meet)/.test(
      l,
    ),
  );
  const picked = telling.length ? [...new Set(telling)] : lines.filter((l) => l.trim() !== "").slice(-max);
  const hint = hintFor(output);
  return [...(hint ? [`hint: ${hint}`] : []), ...picked.slice(0, max)].join("\n");
}

/** Root causes a tool's output shows but does not say, each with its fix in one line. */
const HINTS: { when: RegExp; hint: (m: RegExpMatchArray) => string }[] = [
  {
    when: /pyenv: (pytest|py\.test): command not found|Failed to spawn: `(pytest)`/,
    hint: (m) =>
      `${m[1] ?? m[2]} is not installed in the project's environment: add it to a test extra or dependency group ` +
      "(backend.extras / backend.groups in pipeline.yaml, found by default when named test, tests, testing or dev)",
  },
  {
    when: /(fonts\.googleapis\.com|fonts\.gstatic\.com|Failed to fetch font|Failed to fetch `[^`]+` from Google Fonts)/,
    hint: () =>
      "the build fetched from the network (Google Fonts through next/font) and this machine is offline: " +
      "self-host the font with next/font/local, or allow the fetch",
  },
  {
    when: /(getaddrinfo (ENOTFOUND|EAI_AGAIN) ([\w.-]+)|ENETUNREACH|request to https?:\/\/([\w.-]+)[^ ]* failed)/,
    hint: (m) =>
      `the step tried to reach ${m[3] ?? m[4] ?? "the network"} and could not: vendor what it fetches, or allow the fetch`,
  },
];

/** The one-line fix for a failure whose cause the output shows, if it is one we know. */
export function hintFor(output: string): string | undefined {
  const text = stripAnsi(output);
  for (const h of HINTS) {
    const m = text.match(h.when);
    if (m) return h.hint(m);
  }
  return undefined;
}

/** Remove terminal colour codes, which tools print even into pipes when CI=true. */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, "");
}
