import { describe, expect, it } from "vitest";
import {
  coverageFrom,
  formatJunit,
  formatMarkdown,
  formatMetrics,
  measureStage,
} from "../../../../ci/src/plan/report/metrics";
import type { JobResult } from "../../../../ci/src/plan/report/summary";

const t = { targetSeconds: 300, alertSeconds: 420 };
const opts = { ratePerMinute: 0.008, coverageMin: 85 };
const ok: JobResult[] = [
  { job: "frontend", status: "passed", seconds: 40, threshold: t },
  { job: "backend", status: "passed", seconds: 7, threshold: t, coverage: 97.5 },
];

describe("measureStage", () => {
  it("rates the stage, keeps the coverage seen and bills whole minutes", () => {
    const m = measureStage("fast-tests", ok, 61, t, opts);
    expect(m).toMatchObject({ passed: true, rating: "ok", coverage: { percent: 97.5, min: 85 }, billedMinutes: 2 });
    expect(m.cost).toBeCloseTo(0.016);
  });

  it("bills at least one minute, at the configured rate", () => {
    expect(measureStage("fast-tests", ok, 3, t, { ...opts, ratePerMinute: 0.016 })).toMatchObject({
      billedMinutes: 1,
      cost: 0.016,
    });
  });
});

describe("formatMetrics", () => {
  it("warns when a stage runs over its target, and alerts over the alert line", () => {
    expect(formatMetrics(measureStage("deploy", ok, 150, { targetSeconds: 120, alertSeconds: 240 }, opts))).toMatch(
      /^warning: stage deploy: 150\.0s \(target < 2 min, alert > 4 min\): over target$/m,
    );
    expect(formatMetrics(measureStage("e2e", ok, 1300, { targetSeconds: 900, alertSeconds: 1200 }, opts))).toMatch(
      /^warning: ALERT, stage e2e: 1300\.0s \(target < 15 min, alert > 20 min\): ALERT$/m,
    );
  });

  it("warns when coverage is below the minimum", () => {
    const low = [{ ...ok[1], coverage: 61.54 }];
    expect(formatMetrics(measureStage("fast-tests", low, 30, t, opts))).toMatch(
      /^warning: coverage: 61\.54% \(minimum 85%\): below$/m,
    );
  });

  it("prints the minutes and cost estimate", () => {
    expect(formatMetrics(measureStage("fast-tests", ok, 46, t, opts))).toMatch(
      /^GitHub Actions estimate: 1 min × \$0\.008 = \$0\.008$/m,
    );
  });
});

describe("formatMarkdown", () => {
  it("renders a table and the metrics for the step summary", () => {
    const failed: JobResult[] = [
      {
        job: "backend",
        status: "failed",
        seconds: 9,
        threshold: t,
        failedStep: "pytest",
        reason: "exit 1\nFAILED tests/test_a.py::test_b | x",
      },
    ];
    const md = formatMarkdown(measureStage("fast-tests", failed, 9, t, opts), failed);
    expect(md).toContain("### fast-tests: FAILED");
    expect(md).toContain("| backend | ❌ failed | 9.0s | step pytest: FAILED tests/test_a.py::test_b \\| x |");
    expect(md).toContain("- GitHub Actions estimate: 1 min × $0.008 = $0.008");
  });
});

describe("formatJunit", () => {
  it("writes a testcase per job with failures and skips, escaping XML", () => {
    const results: JobResult[] = [
      { job: "frontend", status: "skipped", seconds: 0, threshold: t, reason: "no change under frontend/" },
      {
        job: "backend",
        status: "failed",
        seconds: 9,
        threshold: t,
        failedStep: "pytest",
        reason: 'assert 1 < 0 & "x"',
      },
    ];
    const x = formatJunit(measureStage("fast-tests", results, 9, t, opts), results);
    expect(x).toContain('<testsuite name="fast-tests" tests="2" failures="1" skipped="1" time="9.000">');
    expect(x).toContain('<skipped message="no change under frontend/"/>');
    expect(x).toContain('<failure message="step pytest failed">assert 1 &lt; 0 &amp; &quot;x&quot;</failure>');
  });
});

describe("coverageFrom", () => {
  it("reads pytest-cov's total", () => {
    expect(coverageFrom("Required test coverage of 85% reached. Total coverage: 100.00%")).toBe(100);
    expect(coverageFrom("TOTAL               139     12    91%\n")).toBe(91);
    expect(coverageFrom("no coverage here")).toBeUndefined();
  });
});
