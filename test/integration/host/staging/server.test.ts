import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { $ } from "zx";
import {
  stagingStatus,
  startStagingServer,
  stopStagingServer,
  type StagingServer,
} from "../../../../scripts/host/staging/server";
import { InputError } from "../../../../ci/src/plan/errors";

const ROOT = resolve(import.meta.dirname, "../../../..");

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

/**
 * A Ctrl-C during `staging-server start` (its sshd up, state.json not yet written) left that sshd running, with the
 * deploy key authorized, and `staging-server stop` then said "stopped": nothing named it (2026-12-06, ninth hostile
 * run). The start is held now: a signal stops what it had started, and state.json names each process as it starts.
 */
describe("a signal during the staging server's start", () => {
  const root = mkdtempSync(join(tmpdir(), "staging-start-int-"));
  const dir = join(root, "staging");
  /** Processes of this test's server: named on their command line, or running in its folder (the database). */
  const leftOver = () =>
    readdirSync("/proc")
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          const cmd = readFileSync(`/proc/${p}/cmdline`, "utf8");
          return !cmd.includes("vitest") && (cmd.includes(dir) || readlinkSync(`/proc/${p}/cwd`).startsWith(dir));
        } catch {
          return false;
        }
      })
      .map(Number);
  afterAll(() => {
    for (const pid of leftOver()) process.kill(pid, "SIGKILL");
    rmSync(root, { recursive: true, force: true });
  });

  it("leaves no process of the server running once its sshd had started", async () => {
    const script = join(root, "start.mts");
    writeFileSync(
      script,
      `import { startStagingServer } from ${JSON.stringify(join(ROOT, "scripts/host/staging/server.ts"))};\nawait startStagingServer(${JSON.stringify(dir)});\n`,
    );
    // nginx takes 2 s to start here, so the signal lands while the start still runs.
    mkdirSync(join(root, "bin"));
    writeFileSync(join(root, "bin/nginx"), '#!/bin/sh\nsleep 2\nexec /usr/sbin/nginx "$@"\n', { mode: 0o755 });
    const env = { ...process.env, PATH: `${join(root, "bin")}:${process.env.PATH}` };
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, env, stdio: "ignore" });
    while (!existsSync(join(dir, "ssh/sshd.pid")) && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((ok) => child.on("exit", (c) => ok(c)));
    await new Promise((r) => setTimeout(r, 500));
    expect(leftOver(), `exit ${code}`).toEqual([]);
    expect(code).toBe(130);
  }, 60_000);
});
