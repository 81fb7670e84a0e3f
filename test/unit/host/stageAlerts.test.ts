import { describe, expect, it } from "vitest";
import type { E2eSummary } from "../../../ci/src/plan/e2e/summary";
import { coverageDrops, e2eFailure } from "../../../scripts/host/stageAlerts";

const threshold = { targetSeconds: 300, alertSeconds: 420 };

describe("coverageDrops", () => {
  it("raises one warning per job measured below the minimum, and none for a job without a figure", () => {
    const events = coverageDrops(
      [
        { job: "backend", status: "failed", seconds: 9, threshold, coverage: 62.3 },
        { job: "frontend", status: "passed", seconds: 40, threshold },
        { job: "other", status: "passed", seconds: 3, threshold, coverage: 91 },
      ],
      85,
    );
    expect(events).toEqual([{ kind: "coverage-drop", text: "backend coverage 62.30% is below 85%" }]);
  });
});

describe("e2eFailure", () => {
  const base = {
    suite: "smoke",
    passed: 9,
    failed: 2,
    failedTests: ["books.spec.ts › creates a book", "home › loads"],
  };
  it("names the suite, the commit and the failed tests of a red run", () => {
    const [e] = e2eFailure({ ...base, status: "failed" } as E2eSummary, "0123456789abcdef0123");
    expect(e).toEqual({
      kind: "e2e-failed",
      text: "E2E (smoke) failed on 0123456789ab: 2 failed: books.spec.ts › creates a book; home › loads",
    });
  });

  it("raises nothing for a green run", () => {
    expect(e2eFailure({ ...base, status: "passed" } as E2eSummary, "abc")).toEqual([]);
  });
});
