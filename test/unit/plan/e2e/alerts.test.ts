import { describe, expect, it } from "vitest";
import { e2eFailure } from "../../../../ci/src/plan/e2e/alerts";
import type { E2eSummary } from "../../../../ci/src/plan/e2e/summary";

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
