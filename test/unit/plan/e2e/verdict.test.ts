import { describe, expect, it } from "vitest";
import { E2eRedError, E2eReportError, verdictOf } from "../../../../ci/src/plan/e2e/verdict";

describe("verdictOf", () => {
  it("returns the summary of a passed report", () => {
    expect(verdictOf("passed\n", "e2e (full): passed\n")).toBe("e2e (full): passed\n");
  });

  it("fails a red report with its summary and where to look next", () => {
    expect(() => verdictOf("failed\n", "e2e (smoke): FAILED\nFAILED a.spec.ts › x")).toThrow(E2eRedError);
    expect(() => verdictOf("failed", "e2e (smoke): FAILED\nFAILED a.spec.ts › x")).toThrow(
      /E2E is red:\ne2e \(smoke\): FAILED\nFAILED a\.spec\.ts › x\nOpen html\/index\.html/,
    );
  });

  it("refuses a directory that is not an exported report", () => {
    expect(() => verdictOf(undefined, undefined)).toThrow(E2eReportError);
    expect(() => verdictOf(undefined, undefined)).toThrow(
      /no status file: --report must be the directory `dagger call end-to-end \.\.\. export --path report`/,
    );
    expect(() => verdictOf("maybe", "")).toThrow(/status is "maybe"/);
  });
});
