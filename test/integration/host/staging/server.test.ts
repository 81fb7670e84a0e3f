import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { $ } from "zx";
import {
  stagingStatus,
  startStagingServer,
  stopStagingServer,
  type StagingServer,
} from "../../../../scripts/host/staging/server";
import { InputError } from "../../../../ci/src/plan/errors";

/**
 * The bundled staging server stands for another machine, but runs as the runner's user. The eighth hostile run: its
 * sessions (the deploy's tasks: `uv sync`, curl's health probes, node, PM2) had the user's own home, where a confined
 * repository command may write: a ~/.curlrc the health probes read, an interpreter in uv's managed Pythons or a
 * poisoned package in uv's cache that the deploy's `uv sync` installs into the staging release. Now they have a home
 * of their own, in the server's folder (under .pipeline, read-only to repository commands, by default).
 */
describe("the bundled staging server's sessions", () => {
  let root: string;
  let s: StagingServer;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "staging-home-"));
    s = await startStagingServer(join(root, "staging"));
  }, 60_000);
  afterAll(async () => {
    if (s) await stopStagingServer(s.dir);
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it("have a home of their own in the server's folder, not the runner's", async () => {
    const known = join(root, "known_hosts");
    writeFileSync(known, `${s.knownHosts}\n`);
    const user = process.env.USER || "root";
    const r = await $({
      quiet: true,
      nothrow: true,
    })`ssh -F /dev/null -i ${s.keyFile} -o ${`UserKnownHostsFile=${known}`} -p ${s.sshPort} ${`${user}@127.0.0.1`} ${'printf "%s\\n" "$HOME" ~'}`;
    expect(r.exitCode, r.stderr).toBe(0);
    const home = join(s.dir, "home");
    expect(r.stdout.split("\n").slice(0, 2)).toEqual([home, home]);
    expect(statSync(home).isDirectory()).toBe(true);
  });
});

/**
 * `stop` ended every pid state.json named. After a reboot, or once those processes had died, the pids are other
 * processes': a 2026-12-06 hostile run's `staging-server stop` with a stale state.json sent SIGTERM to an unrelated
 * `sleep` of the user's (and `status` called it "running"); a garbled state.json was a SyntaxError stack trace.
 */
describe("the staging server's stop and status, on a state.json that is stale or garbled", () => {
  const dir = mkdtempSync(join(tmpdir(), "staging-stale-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("stops no process the server did not start, and calls it not running", async () => {
    const other = spawn("sleep", ["600"], { stdio: "ignore" });
    try {
      const state = {
        dir,
        pm2Home: join(dir, "pm2"),
        sshPort: 1,
        publicPort: 2,
        mongoPort: 3,
        base: join(dir, "base"),
      };
      writeFileSync(join(dir, "state.json"), JSON.stringify({ ...state, pids: { sshd: other.pid, mongo: other.pid } }));
      expect(stagingStatus(dir)).toContain("sshd   NOT running");
      await stopStagingServer(dir);
      await new Promise((r) => setTimeout(r, 300));
      expect(other.exitCode === null && other.signalCode === null, "the unrelated process still runs").toBe(true);
    } finally {
      other.kill("SIGKILL");
    }
  });

  it("refuses a garbled state.json with exit 2 naming it and the fix, not a stack trace", async () => {
    writeFileSync(join(dir, "state.json"), "{");
    await expect(stopStagingServer(dir)).rejects.toThrow(InputError);
    await expect(stopStagingServer(dir)).rejects.toThrow(/state\.json is not the staging server's state/);
    expect(() => stagingStatus(dir)).toThrow(/state\.json is not the staging server's state/);
  });
});
