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
import { probeSandbox } from "../../../../scripts/host/sandbox";

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

/**
 * The server's PM2_HOME is the one folder of the server's that the app (under the confined PM2 daemon) may write; the
 * tenth hostile run found two things outside the sandbox that used it. The `pm2` wrapper opened the daemon's log,
 * `$PM2_HOME/pm2.log`, to append, as the runner: an app that made it a link to `ssh/authorized_keys` and ended the
 * daemon had the next `pm2` command (the next deploy's) open that file for the new daemon, which the app then wrote
 * its own key into through `/proc/<daemon>/fd/1`, and logged in over the server's sshd, unconfined (it saw the host's
 * processes and read the deploy key). And `staging-server stop` of a server with no daemon running ran PM2 itself,
 * unconfined, on that PM2_HOME: `pm2 kill` spawned a daemon that started the modules an app had planted there
 * (module_conf.json) outside the sandbox. Nothing outside the sandbox now opens, runs or reads what is in PM2_HOME,
 * and a start begins with an empty one.
 */
describe.runIf(probeSandbox().ok)("the bundled staging server's PM2_HOME, written by an app", () => {
  let root: string;
  let s: StagingServer;
  const pm2 = () => join(s.dir, "bin/pm2");
  /** Start `script` (bash) as an app under the server's confined PM2 daemon, as a deploy starts one; wait for it. */
  const app = async (name: string, script: string) => {
    const file = join(root, `${name}.sh`);
    writeFileSync(file, script);
    const r = await $({
      quiet: true,
      nothrow: true,
    })`${pm2()} start /bin/bash --name ${name} --no-autorestart -- ${file}`;
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    for (let i = 0; i < 100 && !existsSync(`${file}.done`); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(`${file}.done`), `${name} ran`).toBe(true);
  };
  const daemonGone = async () => {
    const pidFile = join(s.dir, "pm2-daemon.pid");
    for (let i = 0; i < 100; i++) {
      const pid = existsSync(pidFile) ? readFileSync(pidFile, "utf8").trim() : "";
      if (!pid || !existsSync(`/proc/${pid}/comm`) || readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "bwrap")
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the confined PM2 daemon did not end");
  };
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "staging-pm2home-"));
    s = await startStagingServer(join(root, "staging"));
  }, 60_000);
  afterAll(async () => {
    if (s) await stopStagingServer(s.dir);
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it("never has the wrapper open a link the app left there: the app cannot write the server's authorized_keys", async () => {
    const keys = join(s.dir, "ssh/authorized_keys");
    const before = readFileSync(keys, "utf8");
    const daemon = `for p in /proc/[0-9]*; do grep -qa 'God Daemon' "$p/cmdline" 2>/dev/null && echo "\${p#/proc/}"; done`;
    // The app replaces the daemon's log with a link to a file only the runner may write, then ends the daemon (once
    // the `pm2 start` that started it has its answer: a client whose daemon dies mid-command waits for ever).
    await app(
      "plant",
      `rm -f "$PM2_HOME/pm2.log"; ln -s ${keys} "$PM2_HOME/pm2.log"; touch "$0.done"\n` +
        `while [ ! -e "$0.go" ]; do sleep 0.1; done; kill -9 $(${daemon})\n`,
    );
    writeFileSync(join(root, "plant.sh.go"), "");
    await daemonGone();
    // The next pm2 command starts a daemon; an app under it writes through the daemon's stdout.
    await app(
      "write",
      `for p in $(${daemon}); do echo "ssh-ed25519 AAAAplanted attacker" >> /proc/$p/fd/1; done; touch "$0.done"\n`,
    );
    expect(readFileSync(keys, "utf8")).toBe(before);
  }, 60_000);

  /**
   * PM2 ends an app's process tree; a process the app had double-forked (its parent gone) is the namespace's init's,
   * not the app's, and outlived every `pm2 delete` of a deploy's slot: it could take the slot's ports once they were
   * free and answer the next release's health checks, so the code of a release rolled back or replaced kept serving.
   */
  it("leaves no process of an app running once the app is deleted, not one it double-forked", async () => {
    const tag = `staging-orphan-${process.pid}`;
    const orphans = () =>
      readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, "utf8").startsWith(tag);
          } catch {
            return false;
          }
        });
    await app(
      "orphan",
      `( setsid bash -c 'exec -a ${tag} sleep 300' </dev/null >/dev/null 2>&1 & )\nsleep 0.5; touch "$0.done"; sleep 300\n`,
    );
    expect(orphans().length, "the double-forked process runs").toBe(1);
    const r = await $({ quiet: true, nothrow: true })`${pm2()} delete orphan`;
    expect(r.exitCode, r.stderr).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(orphans()).toEqual([]);
  }, 60_000);

  /**
   * The eleventh hostile run: the killer of what an app double-forked listed the namespace's processes one `cat` at a
   * time (a second or more), then killed what it had listed: a process that forks itself anew every 10 ms and ends
   * the old one was never there when the kill came (it killed nothing, and stopped, "nothing left").
   */
  it("leaves no process of an app running once the app is deleted, not one that keeps changing its pid", async () => {
    const count = join(root, "hopper.count");
    const stop = join(root, "hopper.stop");
    const hop = `import os, sys, time
n = 0
while not os.path.exists(${JSON.stringify(stop)}):
    n += 1
    if os.fork(): os._exit(0)
    open(${JSON.stringify(count)}, "w").write(str(n))
    time.sleep(0.01)
`;
    writeFileSync(join(root, "hopper.py"), hop);
    try {
      await app(
        "hopper",
        `( setsid python3 ${join(root, "hopper.py")} </dev/null >/dev/null 2>&1 & )\nsleep 0.5; touch "$0.done"; sleep 300\n`,
      );
      const r = await $({ quiet: true, nothrow: true })`${pm2()} delete hopper`;
      expect(r.exitCode, r.stderr).toBe(0);
      const before = readFileSync(count, "utf8");
      await new Promise((r) => setTimeout(r, 500));
      expect(readFileSync(count, "utf8"), "the hopper still runs").toBe(before);
    } finally {
      writeFileSync(stop, "");
    }
  }, 60_000);

  it("never runs a PM2 module the app planted there outside the sandbox, on stop or on a later start", async () => {
    const marker = join(root, "module-ran");
    const mod = '"$PM2_HOME/modules/evil/node_modules/evil"';
    await app(
      "module",
      [
        `mkdir -p ${mod}`,
        `echo '{"module-db-v2": {"evil": {}}}' > "$PM2_HOME/module_conf.json"`,
        `echo '{"name":"evil","version":"1.0.0","apps":[{"name":"evil","script":"run.sh","interpreter":"/bin/sh"}]}' > ${mod}/package.json`,
        `echo 'ls /proc | grep -c "^[0-9]" > ${marker}; sleep 30' > ${mod}/run.sh`,
        'touch "$0.done"',
        "",
      ].join("\n"),
    );
    // A restart, then a stop before any deploy started the confined daemon again.
    s = await startStagingServer(s.dir);
    await stopStagingServer(s.dir);
    await new Promise((r) => setTimeout(r, 1000));
    expect(existsSync(marker) ? `ran, seeing ${readFileSync(marker, "utf8").trim()} processes` : "").toBe("");
    s = await startStagingServer(s.dir);
    expect(existsSync(join(s.pm2Home, "module_conf.json")), "a start begins with an empty PM2_HOME").toBe(false);
  }, 120_000);
});
