import { describe, expect, it } from "vitest";
import {
  checkPromotion,
  parsePromotionRecord,
  promotionRecordPath,
  type PromotionRecord,
} from "../../../../ci/src/plan/deploy/promotion";

const SHA = "3520442e4dc3c5bc938a31806b1e6a4d20cd12bc";
const green: PromotionRecord = {
  commit: SHA,
  status: "passed",
  suite: "e2e",
  passed: 12,
  failed: 0,
  flaky: 1,
  finishedAt: "2026-11-26T23:15:01Z",
  report: "report/index.html",
};

describe("checkPromotion", () => {
  it("allows a commit whose record passed", () => {
    expect(checkPromotion(green, SHA)).toEqual({ ok: true });
  });
  it("refuses a commit without a record and names the next command", () => {
    const r = checkPromotion(undefined, SHA);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/no E2E record for commit 3520442e.*--force-reason/);
  });
  it("refuses a failed record", () => {
    expect(checkPromotion({ ...green, status: "failed", failed: 2 }, SHA).ok).toBe(false);
  });
  it("refuses a record of another commit", () => {
    expect(checkPromotion({ ...green, commit: "f".repeat(40) }, SHA).ok).toBe(false);
  });
});

describe("parsePromotionRecord", () => {
  it("reads a record and treats garbage as none", () => {
    expect(parsePromotionRecord(JSON.stringify(green))).toEqual(green);
    expect(parsePromotionRecord("{nope")).toBeUndefined();
    expect(parsePromotionRecord(undefined)).toBeUndefined();
  });
});

describe("promotionRecordPath", () => {
  it("keys the record by the full sha under .dep/e2e and rejects anything else", () => {
    expect(promotionRecordPath(SHA)).toBe(`.dep/e2e/${SHA}.json`);
    expect(() => promotionRecordPath("../x")).toThrow(/full 40-hex/);
  });
});
