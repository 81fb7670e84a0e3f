import { describe, expect, it } from "vitest";
import { deployEvents, deployMarkdown } from "../../../../ci/src/plan/deploy/outcome";

const watch = {
  outcome: "alert" as const,
  windowSeconds: 60,
  requests: 300,
  errors: 0,
  errorRatePercent: 0,
  p95Seconds: 2.5,
  reasons: ["p95 2.500 s > 2 s"],
};

describe("deployEvents", () => {
  it("raises deploy-done (info), plus watch-alert (warning) when p95 crossed the alert line", () => {
    expect(deployEvents({ target: "staging", release: "r2" }).map((e) => e.kind)).toEqual(["deploy-done"]);
    expect(deployEvents({ target: "staging", release: "r2", watch }).map((e) => e.kind)).toEqual([
      "deploy-done",
      "watch-alert",
    ]);
  });

  it("raises rollback, health-failing, migration-failed or deploy-failed for a failure", () => {
    const failed = { target: "production", release: "r2", error: "boom" };
    expect(deployEvents({ ...failed, rolledBackTo: "r1" })[0].kind).toBe("rollback");
    expect(deployEvents({ ...failed, failedTask: "health" })[0].kind).toBe("health-failing");
    expect(deployEvents({ ...failed, failedTask: "migrate" })[0].kind).toBe("migration-failed");
    expect(deployEvents({ ...failed, failedTask: "upload" })[0]).toEqual({
      kind: "deploy-failed",
      text: "deploy of r2 on production failed at upload: boom",
    });
  });
});

describe("deployMarkdown", () => {
  it("puts the verdict and the watch figures in the step summary", () => {
    const md = deployMarkdown({
      target: "staging",
      release: "r2",
      error: "watch",
      failedTask: "watch",
      rolledBackTo: "r1",
      watch,
    });
    expect(md).toContain("### deploy staging: r2 ROLLED BACK to r1");
    expect(md).toContain("| alert | 60 s | 300 | 0 | 0 % | 2.5 s |");
  });
});
