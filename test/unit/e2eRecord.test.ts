import { describe, expect, it } from "vitest";
import { promotionRecordOf } from "../../ci/src/e2eRecord";
import { summarizeE2e } from "../../ci/src/e2eSummary";
import { checkPromotion } from "../../ci/src/promotionRecord";
import { fail, flaky, pass, reportOf } from "../support/pwReport";

const sha = "a".repeat(40);
const run = (files: Parameters<typeof reportOf>[0], exitCode: number) =>
  summarizeE2e({ suite: "smoke", mode: "playwright", modeReason: "", shards: [{ index: 1, files: [], exitCode, seconds: 1 }], report: reportOf(files), backend: { passed: 3, failed: 0, skipped: 0, failedTests: [], exitCode: 0 } });

describe("promotionRecordOf", () => {
  it("records a green run (flaky included) that deploy-production accepts", () => {
    const r = promotionRecordOf(run({ "a.spec.ts": [pass("x"), flaky("y")] }, 0), sha, "/r/index.html", new Date("2026-01-02T03:04:05Z"));
    expect(r).toEqual({ commit: sha, status: "passed", suite: "smoke", passed: 4, failed: 0, flaky: 1, finishedAt: "2026-01-02T03:04:05.000Z", report: "/r/index.html" });
    expect(checkPromotion(r, sha)).toEqual({ ok: true });
  });

  it("records a red run that deploy-production refuses", () => {
    const r = promotionRecordOf(run({ "a.spec.ts": [fail("x")] }, 1), sha, "/r", new Date());
    expect(r.status).toBe("failed");
    expect(checkPromotion(r, sha).ok).toBe(false);
  });
});
