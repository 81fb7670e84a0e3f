import { describe, expect, it } from "vitest";
import {
  explainFailure,
  hintFor,
  formatSummary,
  rate,
  stagePassed,
  type JobResult,
} from "../../../../ci/src/plan/report/summary";

const t = { targetSeconds: 300, alertSeconds: 420 };

describe("rate", () => {
  it("rates a duration against target and alert", () => {
    expect(rate(10, t)).toBe("ok");
    expect(rate(301, t)).toBe("over target");
    expect(rate(421, t)).toBe("ALERT");
  });
});

describe("formatSummary", () => {
  const results: JobResult[] = [
    { job: "frontend", status: "passed", seconds: 61.25, threshold: t },
    {
      job: "backend",
      status: "failed",
      seconds: 12,
      threshold: t,
      failedStep: "pytest",
      reason: "exit 1\nFAIL Required test coverage of 85% not reached. Total coverage: 61.54%",
    },
  ];

  it("lists every job with status, duration and threshold, and the failing step's reason", () => {
    const s = formatSummary("fast-tests", results);
    expect(s.split("\n")[0]).toBe("fast-tests: FAILED");
    expect(s).toMatch(/frontend\s+PASSED\s+61\.3s\s+< 5 min \(alert > 7 min\): ok/);
    expect(s).toMatch(/backend\s+FAILED\s+12\.0s.*step pytest: exit 1/);
  });

  it("says passed when no job failed, skipped ones included", () => {
    const s = formatSummary("fast-tests", [
      { job: "frontend", status: "skipped", seconds: 0, threshold: t, reason: "no change under frontend/" },
    ]);
    expect(s.split("\n")[0]).toBe("fast-tests: passed");
    expect(s).toMatch(/SKIPPED.*no change under frontend\//);
    expect(stagePassed([{ job: "x", status: "skipped", seconds: 0, threshold: t }])).toBe(true);
  });
});

describe("explainFailure", () => {
  it("picks the coverage line out of pytest output", () => {
    const out =
      "collected 3 items\n...\nFAIL Required test coverage of 85% not reached. Total coverage: 61.54%\n=== 3 passed ===";
    expect(explainFailure(out)).toBe("FAIL Required test coverage of 85% not reached. Total coverage: 61.54%");
  });

  it("picks TypeScript errors", () => {
    expect(
      explainFailure(
        "> tsc --noEmit\n\nlib/x.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.\n",
      ),
    ).toContain("error TS2322");
  });

  it("picks the failing test's name out of coloured vitest output", () => {
    const out =
      "\x1b[31m ❯\x1b[39m lib/format.test.ts (8 tests | 1 failed)\n\x1b[41m\x1b[1m FAIL \x1b[22m\x1b[49m lib/format.test.ts > injected > fails on purpose\n\x1b[31mAssertionError\x1b[22m: expected 2 to be 3\n";
    expect(explainFailure(out)).toBe(
      " FAIL  lib/format.test.ts > injected > fails on purpose\nAssertionError: expected 2 to be 3",
    );
  });

  it("falls back to the last lines when nothing is telling", () => {
    expect(explainFailure("a\nb\nc\n", 2)).toBe("b\nc");
  });
});

describe("hintFor", () => {
  it("says pytest is missing from the project's environment, not what pyenv's shim printed", () => {
    const out = "pyenv: pytest: command not found\n\nThe `pytest' command exists in these Python versions:\n  3.11.7\n";
    expect(hintFor(out)).toMatch(/^pytest is not installed in the project's environment: add it to a test extra/);
    expect(explainFailure(out).split("\n")[0]).toMatch(/^hint: pytest is not installed/);
  });

  it("names an offline build's Google Fonts fetch and its fix", () => {
    const out = "Failed to fetch font `Inter`.\nURL: https://fonts.googleapis.com/css2?family=Inter\n";
    expect(hintFor(out)).toMatch(/Google Fonts .* self-host the font with next\/font\/local, or allow the fetch/);
  });

  it("stays silent on an ordinary test failure", () => {
    expect(hintFor("FAILED tests/test_books.py::test_create - AssertionError")).toBeUndefined();
  });
});

describe("formatSummary with a known root cause", () => {
  it("puts the failed job's hint under the table in one line", () => {
    const threshold = { targetSeconds: 300, alertSeconds: 420 };
    const output = "Error: Failed to fetch font `Inter` from Google Fonts.\n";
    const text = formatSummary("fast-tests", [
      {
        job: "frontend",
        status: "failed",
        seconds: 9,
        threshold,
        failedStep: "build",
        reason: `exit 1\n${explainFailure(output)}`,
      },
      { job: "backend", status: "passed", seconds: 5, threshold },
    ]);
    expect(text.split("\n").at(-1)).toMatch(
      /^frontend: the build fetched from the network \(Google Fonts through next\/font\).*self-host/,
    );
  });
});
