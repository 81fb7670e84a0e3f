import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { webhookUrls } from "../../../../scripts/host/e2e/notify";

const ROOT = resolve(import.meta.dirname, "../../../..");

/**
 * Where the E2E notification finds its webhooks: the environment, else `.env`. That file was read with a plain
 * readFileSync (h15e2e), so a `.env` that is a FIFO blocked the whole runner for ever once the tests had run, before
 * the record and the report were written, deaf to Ctrl-C; every other reader of `.env` refuses one (0538111).
 */
describe("webhookUrls", () => {
  it("takes each URL from the environment, else from .env", () => {
    const dir = mkdtempSync(join(tmpdir(), "e2e-notify-"));
    try {
      writeFileSync(join(dir, ".env"), "SLACK_WEBHOOK_URL=http://file/slack\nDISCORD_WEBHOOK_URL=http://file/d\n");
      expect(webhookUrls({ SLACK_WEBHOOK_URL: "http://env/slack" }, join(dir, ".env"))).toEqual({
        slack: "http://env/slack",
        discord: "http://file/d",
      });
      expect(webhookUrls({}, join(dir, "missing"))).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a .env that is a FIFO or a folder at once, naming it, instead of blocking", () => {
    const dir = mkdtempSync(join(tmpdir(), "e2e-notify-"));
    try {
      execFileSync("mkfifo", [join(dir, ".env")]);
      // In a child: before the fix the read never returned, and would have hung this worker.
      const code = `import { webhookUrls } from ${JSON.stringify(join(ROOT, "scripts/host/e2e/notify.ts"))};
        try { webhookUrls({}, ${JSON.stringify(join(dir, ".env"))}); console.log("read"); }
        catch (e) { console.log(e.message); }`;
      const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 20_000,
      });
      expect(r.error?.message, "blocked on the FIFO until killed").toBeUndefined();
      expect(r.stdout).toMatch(/\.env is a FIFO, not a file/);
      rmSync(join(dir, ".env"));
      execFileSync("mkdir", [join(dir, ".env")]);
      expect(() => webhookUrls({}, join(dir, ".env"))).toThrow(/\.env is a folder, not a file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
