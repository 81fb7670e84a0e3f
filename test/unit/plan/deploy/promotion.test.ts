import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkPromotion,
  parsePromotionRecord,
  promotionRecordPath,
  promotionRecordScript,
  RECORD_MAX_BYTES,
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

/**
 * The record is read from staging by the remote shell (both runners). It was `cat`: a record made a link to /dev/zero
 * (by a key that writes staging, or an app running as the deploy user) grew the host runner to 22 GB in 45 s, deaf to
 * SIGTERM, and a FIFO blocked the promotion for ever.
 */
describe("promotionRecordScript", () => {
  const dir = mkdtempSync(join(tmpdir(), "record-script-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (file: string) =>
    execFileSync("bash", ["-c", promotionRecordScript(file)], { timeout: 5000, maxBuffer: 4 * RECORD_MAX_BYTES });
  it("prints a regular record, and nothing (exit 0) for a missing one", () => {
    writeFileSync(join(dir, "good.json"), JSON.stringify(green));
    expect(parsePromotionRecord(run(join(dir, "good.json")).toString())).toEqual(green);
    expect(run(join(dir, "missing.json")).length).toBe(0);
  });
  it("reads no device or FIFO, and at most one byte past the bound of a huge file (then not a record)", () => {
    symlinkSync("/dev/zero", join(dir, "zero.json"));
    execFileSync("mkfifo", [join(dir, "fifo.json")]);
    expect(run(join(dir, "zero.json")).length).toBe(0);
    expect(run(join(dir, "fifo.json")).length).toBe(0);
    writeFileSync(join(dir, "huge.json"), `${JSON.stringify(green)}${" ".repeat(4 * RECORD_MAX_BYTES)}`);
    const huge = run(join(dir, "huge.json"));
    expect(huge.length).toBe(RECORD_MAX_BYTES + 1);
    expect(parsePromotionRecord(huge.toString())).toBeUndefined();
  });
});
