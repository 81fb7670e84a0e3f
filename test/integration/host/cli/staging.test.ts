import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPipeline } from "../../../support/cli";

/**
 * `staging-server` works on the folder the deploy commands read: STAGING_SERVER_DIR when set (a second server, a
 * test's), else .pipeline/staging. Before, start, stop and status always used the default, and `stop` said "stopped"
 * while the server under STAGING_SERVER_DIR kept running.
 */
const tmp = mkdtempSync(join(tmpdir(), "cli-staging-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("staging-server and STAGING_SERVER_DIR", { timeout: 120_000 }, () => {
  const dir = join(tmp, "second");
  const state = join(dir, "state.json");
  const env = { ...process.env, STAGING_SERVER_DIR: dir };

  it("status and stop read the server under STAGING_SERVER_DIR", async () => {
    mkdirSync(dir, { recursive: true });
    // A server whose processes are gone (after a reboot): its state names pids that are not its own any more.
    const s = { pids: { sshd: 999_999, nginx: 999_998, mongo: 999_997 }, sshPort: 1, publicPort: 2, mongoPort: 3 };
    writeFileSync(state, JSON.stringify({ ...s, base: join(dir, "base"), pm2Home: join(dir, "pm2") }));
    const status = await runPipeline(["staging-server", "status"], env);
    expect(status.exitCode, status.output).toBe(0);
    expect(status.stdout).toContain(`staging server under ${dir}`);
    expect(status.stdout).toMatch(/sshd\s+NOT running/);
    const stop = await runPipeline(["staging-server", "stop"], env);
    expect(stop.exitCode, stop.output).toBe(0);
    expect(stop.stdout).toContain(dir);
    expect(existsSync(state)).toBe(false);
  });
});
