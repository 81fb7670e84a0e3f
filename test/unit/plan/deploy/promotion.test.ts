import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
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
import { formatLogEntry } from "../../../../ci/src/plan/deploy/releaseLog";

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
  const base = mkdtempSync(join(tmpdir(), "record-script-"));
  const e2e = join(base, ".dep/e2e");
  mkdirSync(e2e, { recursive: true });
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const OTHER = "c".repeat(40);
  const record = (sha: string) => join(e2e, `${sha}.json`);
  const run = (sha = SHA) =>
    execFileSync("bash", ["-c", promotionRecordScript(base, sha)], { timeout: 5000, maxBuffer: 4 * RECORD_MAX_BYTES });
  /** The record part of the output: up to the line that starts the BAD marks. */
  const recordPart = (out: Buffer) => out.toString().split("\n@@ releases marked BAD on staging @@\n")[0];
  it("prints a regular record, and nothing (exit 0) for a missing one", () => {
    writeFileSync(record(SHA), JSON.stringify(green));
    expect(parsePromotionRecord(run().toString())).toEqual(green);
    expect(recordPart(run(OTHER))).toBe("");
    expect(parsePromotionRecord(run(OTHER).toString())).toBeUndefined();
  });
  it("reads no device or FIFO, and at most one byte past the bound of a huge file (then not a record)", () => {
    symlinkSync("/dev/zero", record("d".repeat(40)));
    execFileSync("mkfifo", [record("e".repeat(40))]);
    expect(recordPart(run("d".repeat(40)))).toBe("");
    expect(recordPart(run("e".repeat(40)))).toBe("");
    writeFileSync(record(OTHER), `${JSON.stringify(green)}${" ".repeat(4 * RECORD_MAX_BYTES)}`);
    const huge = run(OTHER);
    expect(recordPart(huge).length).toBe(RECORD_MAX_BYTES + 1);
    expect(parsePromotionRecord(huge.toString())).toBeUndefined();
  });
  it("marks the record when staging's release log has marked its release BAD since, and only that release", () => {
    const release = "20261206T000300Z-3520442";
    writeFileSync(record(SHA), JSON.stringify({ ...green, release }));
    const entry = (id: string, status: string) => formatLogEntry({ id, commit: SHA, time: "t", status } as never);
    writeFileSync(
      join(base, ".dep/releases.jsonl"),
      entry(release, "deployed") + entry("20261206T000400Z-aaaaaaa", "bad"),
    );
    expect(parsePromotionRecord(run().toString())?.markedBad).toBeUndefined();
    writeFileSync(join(base, ".dep/releases.jsonl"), entry(release, "deployed") + entry(release, "bad"));
    expect(parsePromotionRecord(run().toString())).toEqual({ ...green, release, markedBad: true });
    expect(checkPromotion(parsePromotionRecord(run().toString()), SHA)).toEqual({
      ok: false,
      reason: expect.stringContaining(
        `staging's release ${release}, which E2E tested for 3520442, has since been marked BAD`,
      ),
    });
  });
});
