import { describe, expect, it } from "vitest";
import { MetricsInputError, metricsPeriod, parseE2eRuns } from "../../../../ci/src/plan/deploy/period";

describe("metricsPeriod", () => {
  it("includes both named days (UTC)", () => {
    expect(metricsPeriod("2026-11-01", "2026-11-10", new Date())).toEqual({
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-11-11T00:00:00Z"),
    });
  });

  it("defaults to the 30 days up to now", () => {
    const now = new Date("2026-11-29T12:00:00Z");
    expect(metricsPeriod(undefined, undefined, now)).toEqual({ from: new Date("2026-10-30T12:00:00Z"), to: now });
  });

  it("refuses a day that is not YYYY-MM-DD and a period that ends before it starts", () => {
    expect(() => metricsPeriod("yesterday", undefined, new Date())).toThrow(MetricsInputError);
    expect(() => metricsPeriod("yesterday", undefined, new Date())).toThrow(
      /--since "yesterday" is not a date; pass YYYY-MM-DD/,
    );
    expect(() => metricsPeriod("2026-11-10", "2026-11-01", new Date())).toThrow(/is not before/);
  });

  it("refuses a day the calendar has not (JavaScript's Date would roll 2026-02-30 over to March 2)", () => {
    for (const [flag, day] of [
      ["--since", "2026-02-30"],
      ["--until", "2026-11-31"],
      ["--since", "2025-02-29"],
    ] as const) {
      const args: [string | undefined, string | undefined] = flag === "--since" ? [day, undefined] : [undefined, day];
      expect(() => metricsPeriod(...args, new Date("2026-12-06T00:00:00Z"))).toThrow(
        `${flag} "${day}" is not a date; pass YYYY-MM-DD`,
      );
    }
    expect(metricsPeriod("2024-02-29", "2024-03-01", new Date()).from).toEqual(new Date("2024-02-29T00:00:00Z"));
  });
});

describe("parseE2eRuns", () => {
  it("keeps well-formed records with defaults for missing counts and skips the rest", () => {
    const ok = JSON.stringify({ commit: "a".repeat(40), status: "passed", passed: 3 });
    expect(parseE2eRuns([ok, "{torn", JSON.stringify({ status: "passed" })])).toEqual([
      {
        commit: "a".repeat(40),
        status: "passed",
        passed: 3,
        failed: 0,
        flaky: 0,
        finishedAt: "",
        suite: "",
        report: "",
      },
    ]);
  });
});
