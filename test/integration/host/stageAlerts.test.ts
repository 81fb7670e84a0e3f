import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sendStageAlerts } from "../../../scripts/host/stageAlerts";
import { deployEnv } from "../../../scripts/host/target";

/**
 * The alerts a stage sends at its end (fast-tests' coverage drop, end-to-end's failure) read the runner's settings
 * files. One the deploy commands refuse (a key set twice, a FIFO) must not turn a finished stage into exit 2 at its
 * end: an alert channel that cannot be used is a warning, as one that is down.
 */
describe("sendStageAlerts with settings the deploy commands refuse", () => {
  it("warns and sends nothing, instead of throwing after the stage ran", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stage-alerts-"));
    try {
      writeFileSync(join(dir, "deploy.env"), "STAGING_SSH_HOST=a\nSTAGING_SSH_HOST=b\n");
      const env = { STAGING_SERVER_DIR: dir, ALERT_WEBHOOK_WARNING: "http://127.0.0.1:9/hook" };
      // The checkout's .env is not the test's to write: the same reader on deploy.env, which it reads for staging.
      const warnings = await sendStageAlerts([{ kind: "coverage-drop", text: "coverage fell" }], env, (e) =>
        deployEnv("staging", e),
      );
      expect(warnings.join("\n")).toMatch(/^warning: alerts not sent: .*deploy\.env sets STAGING_SSH_HOST twice/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
