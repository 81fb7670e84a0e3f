import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parsePromotionRecord } from "../../../../ci/src/plan/deploy/promotion";
import { summarizeE2e } from "../../../../ci/src/plan/e2e/summary";
import { writeRecord } from "../../../../scripts/host/e2e/record";
import { fail, reportOf } from "../../../support/pwReport";

const SHA = "3520442e4dc3c5bc938a31806b1e6a4d20cd12bc";

/**
 * The fifteenth hostile run: `end-to-end --record local` read staging's settings (the bundled server's deploy.env)
 * though it writes only a local file; a broken one (a FIFO) then cost the record, and an older green record of the
 * same commit stayed. A local record reads no staging setting.
 */
describe("writeRecord --record local", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "record-local-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("writes the local record whatever staging's settings files hold", async () => {
    execFileSync("mkfifo", [join(root, "deploy.env")]);
    const summary = summarizeE2e({
      suite: "smoke",
      mode: "playwright",
      modeReason: "",
      shards: [{ index: 1, files: [], exitCode: 1, seconds: 1 }],
      report: reportOf({ "a.spec.ts": [fail("x")] }),
    });
    const where = await writeRecord(summary, SHA, "/r/index.html", {
      stateDir: join(root, "state"),
      mode: "local",
      env: { ...process.env, STAGING_SERVER_DIR: root },
    });
    expect(where).toBe(join(root, "state/e2e", `${SHA}.json`));
    expect(parsePromotionRecord(readFileSync(where, "utf8"))).toMatchObject({ commit: SHA, status: "failed" });
  });
});
