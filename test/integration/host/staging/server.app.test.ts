import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyHolderName } from "../../../../ci/src/plan/deploy/ssh";
import { probeSandbox } from "../../../../scripts/host/sandbox";
import { deployFixture, SHA, type DeployFixture } from "../../../support/deployFixture";
import { pm2DaemonFiles } from "../../../../scripts/host/staging/configs";
import { stopStagingServer } from "../../../../scripts/host/staging/server";

/** A process's parent pid, or 0 when it is gone. */
function ppidOf(pid: number): number {
  try {
    return Number(/\) \S+ (\d+)/.exec(readFileSync(`/proc/${pid}/stat`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The pids of the bwraps that run a server's PM2 daemon (its own and its namespace's init), live or left over. */
function daemonBwraps(pm2Home: string): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((p) => {
      try {
        const argv = readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0");
        const comm = readFileSync(`/proc/${p}/comm`, "utf8").trim();
        return comm === "bwrap" && argv.includes(pm2Home) && argv.some((a) => a.endsWith("/pm2/lib/Daemon.js"));
      } catch {
        return false;
      }
    })
    .sort((a, b) => a - b);
}

/** Processes whose command line names `dir`. */
function processesIn(dir: string): string[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n) && Number(n) !== process.pid)
    .flatMap((n) => {
      try {
        const cmd = readFileSync(`/proc/${n}/cmdline`, "utf8").replaceAll("\0", " ");
        return cmd.includes(dir) ? [`${n} ${cmd.slice(0, 160)}`] : [];
      } catch {
        return [];
      }
    });
}

/**
 * The app a deploy starts on the bundled staging server is repository code, and that server runs on the runner's
 * machine as the runner's user. A release whose backend, at start, looks for the runner's secrets: every process's
 * environ (the deploy holding STAGING_SECRET_*), the deploy's key copy in the key holder, the server's deploy key and
 * its deploy.env; and it could change shared/server.json, whose `pm2` the next deploy runs. Under the server's PM2 it
 * ran as any program of the user does and found them all; now PM2's daemon and every app it starts are confined as
 * repository commands are (scripts/host/sandbox.ts), and the app still serves.
 */
describe("the app on the bundled staging server", () => {
  let f: DeployFixture;
  let report: string;
  const seconds: number[] = [];

  /** The backend's package init, run as uvicorn imports app.main: it writes what it found to `report`, and serves. */
  const spy = (out: string, holder: string, staging: string) => `"""AutoAuthor example backend, looking around."""
import json, os

def _read(p):
    try:
        with open(p, "rb") as fh:
            return fh.read().decode("utf-8", "replace")
    except OSError as e:
        return "error: " + e.strerror

def _look():
    found = {"pids": [], "environ": [], "cmdline": [], "keyDirs": {}}
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        found["pids"].append(int(pid))
        if "STAGING_SECRET_DATABASE_URI=" in _read("/proc/%s/environ" % pid):
            found["environ"].append(int(pid))
        if "pipeline.ts" in _read("/proc/%s/cmdline" % pid):
            found["cmdline"].append(int(pid))
    try:
        for d in os.listdir(${JSON.stringify(holder)}):
            p = os.path.join(${JSON.stringify(holder)}, d)
            found["keyDirs"][d] = {n: _read(os.path.join(p, n)) for n in os.listdir(p)} if os.path.isdir(p) else _read(p)
    except OSError as e:
        found["keyDirs"] = "error: " + e.strerror
    found["clientKey"] = _read(${JSON.stringify(join(staging, "ssh/client_key"))})
    found["deployEnv"] = _read(${JSON.stringify(join(staging, "deploy.env"))})
    # What the deploy's next tasks run or read outside, as the runner: opened to append, nothing written.
    found["writable"] = []
    for p in ${JSON.stringify([...["shared/server.json", ".dep/releases.jsonl"].map((n) => join(staging, "base", n)), ...["pm2", "confine"].map((n) => join(staging, "bin", n))])}:
        try:
            open(p, "a").close()
            found["writable"].append(p)
        except OSError:
            pass
    with open(${JSON.stringify(out)}, "w") as fh:
        json.dump(found, fh)

try:
    _look()
except Exception as e:
    with open(${JSON.stringify(out)}, "w") as fh:
        json.dump({"failed": repr(e)}, fh)
`;

  beforeAll(async () => {
    f = await deployFixture();
    report = join(f.root, "spy.json");
    const t = performance.now();
    const first = await f.deploy(f.artifact, SHA);
    seconds.push((performance.now() - t) / 1000);
    expect(first.exitCode, first.output).toBe(0);
  }, 400_000);
  afterAll(async () => {
    console.log(
      `deploy seconds (good, hostile app, hostile build and migrate): ${seconds.map((s) => s.toFixed(1)).join(", ")}`,
    );
    await f?.close();
  }, 180_000);

  it("finds no runner process, key copy, deploy key or settings, and still serves", async () => {
    const holder = join(tmpdir(), keyHolderName(process.getuid?.() ?? 0));
    const hostile = f.variant("spy", { "backend/app/__init__.py": spy(report, holder, f.s.dir) });
    const commit = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    const t = performance.now();
    const r = await f.deploy(hostile, commit);
    seconds.push((performance.now() - t) / 1000);
    expect(r.exitCode, r.output).toBe(0);
    expect(f.currentId()).toMatch(commit.slice(0, 7));
    expect(await f.serving()).toBe(f.currentId());
    expect(existsSync(report), "the hostile backend ran and wrote its report").toBe(true);
    const found = JSON.parse(readFileSync(report, "utf8")) as Record<string, unknown>;
    expect(found.failed).toBeUndefined();
    // The deploy (tsx scripts/pipeline.ts), holding STAGING_SECRET_DATABASE_URI, runs while the app starts.
    expect.soft(found.environ, `pids seen: ${JSON.stringify(found.pids)}`).toEqual([]);
    expect.soft(found.cmdline).toEqual([]);
    // The deploy's key dir (its key copy, known_hosts, control socket) exists in the holder while the app starts.
    expect.soft(found.keyDirs).toEqual({});
    expect.soft(found.clientKey).not.toContain("PRIVATE KEY");
    expect.soft(found.deployEnv).not.toContain("STAGING_SSH_KEY_FILE");
    // shared/server.json names the `pm2` and the nginx reload the deploy runs there, outside the app's sandbox.
    expect.soft(found.writable).toEqual([]);
  }, 300_000);

  /**
   * A PEP 517 build backend in the release's tree (backend-path), which `uv sync` runs when the lock makes the project
   * a package: it looks around as the app does, then builds an empty wheel.
   */
  const buildBackend = (out: string, holder: string, staging: string) => `${spy(out, holder, staging)}
import base64, hashlib, zipfile

def get_requires_for_build_wheel(config_settings=None):
    return []

get_requires_for_build_editable = get_requires_for_build_wheel

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "autoauthor_backend-0.1.0-py3-none-any.whl"
    info = "autoauthor_backend-0.1.0.dist-info/"
    files = {
        info + "METADATA": b"Metadata-Version: 2.1\\nName: autoauthor-backend\\nVersion: 0.1.0\\n",
        info + "WHEEL": b"Wheel-Version: 1.0\\nGenerator: spy\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    }
    record = "".join(
        "%s,sha256=%s,%d\\n" % (n, base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b"=").decode(), len(b))
        for n, b in files.items()
    ) + info + "RECORD,,\\n"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for n, b in files.items():
            z.writestr(n, b)
        z.writestr(info + "RECORD", record)
    return name

build_editable = build_wheel
`;

  it("runs the release's build (uv sync) and deploy.migrate where they find no runner process or key copy", async () => {
    const holder = join(tmpdir(), keyHolderName(process.getuid?.() ?? 0));
    const built = join(f.root, "spy-build.json");
    const migrated = join(f.root, "spy-migrate.json");
    const pyproject = readFileSync(join(f.artifact, "backend/pyproject.toml"), "utf8")
      .replace("package = false", "package = true")
      .concat('\n[build-system]\nrequires = []\nbuild-backend = "spy_build"\nbackend-path = ["."]\n');
    const lock = readFileSync(join(f.artifact, "backend/uv.lock"), "utf8").replace(
      /(name = "autoauthor-backend"\nversion = "0.1.0"\nsource = )\{ virtual = "." \}/,
      '$1{ editable = "." }',
    );
    expect(lock).toContain('source = { editable = "." }');
    const hostile = f.variant("spy-build", {
      "backend/pyproject.toml": pyproject,
      "backend/uv.lock": lock,
      "backend/spy_build.py": buildBackend(built, holder, f.s.dir),
      "backend/spy_migrate.py": spy(migrated, holder, f.s.dir),
    });
    const yaml = join(f.appDir, "pipeline.yaml");
    const before = readFileSync(yaml, "utf8");
    writeFileSync(yaml, `${before}  migrate: python3 backend/spy_migrate.py\n`);
    const commit = "5e1f6a2b3c4d5e6f708192a3b4c5d6e7f8091a2b";
    try {
      const t = performance.now();
      const r = await f.deploy(hostile, commit);
      seconds.push((performance.now() - t) / 1000);
      expect(r.exitCode, r.output).toBe(0);
    } finally {
      writeFileSync(yaml, before);
    }
    expect(f.currentId()).toMatch(commit.slice(0, 7));
    for (const [what, report] of [
      ["the build", built],
      ["the migration", migrated],
    ]) {
      expect(existsSync(report), `${what} ran and wrote its report`).toBe(true);
      const found = JSON.parse(readFileSync(report, "utf8")) as Record<string, unknown>;
      expect(found.failed).toBeUndefined();
      // The deploy (tsx scripts/pipeline.ts) holds STAGING_SECRET_DATABASE_URI and its key dir while they run.
      expect.soft(found.environ, `${what}: pids seen: ${JSON.stringify(found.pids)}`).toEqual([]);
      expect.soft(found.cmdline, what).toEqual([]);
      expect.soft(found.keyDirs, what).toEqual({});
      expect.soft(found.clientKey, what).not.toContain("PRIVATE KEY");
      expect.soft(found.deployEnv, what).not.toContain("STAGING_SSH_KEY_FILE");
      // What the deploy runs or reads next, outside: server.json, the wrappers, the release log.
      expect.soft(found.writable, what).toEqual([]);
    }
  }, 300_000);

  /**
   * An app that kills its parent, PM2's daemon: the daemon's bwrap ends, but its namespace's init ran on with the apps
   * that outlived the daemon (a Python backend keeps its port), unseen by the next daemon the wrapper starts, whose
   * release then failed to bind that port while the orphan answered its health checks; and `staging-server stop` left
   * them running. Now a new daemon starts only once the old namespace is ended.
   */
  it("a release that kills PM2's daemon: nothing of the old daemon's namespace runs on beside the new one", async () => {
    const before = f.currentId();
    const killer = f.variant("kill-pm2", {
      "backend/app/__init__.py":
        '"""Kills its parent, PM2\'s daemon, at start."""\nimport os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n',
    });
    const r = await f.deploy(killer, "8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f70819");
    expect(r.exitCode, r.output).toBe(1);
    expect(r.output).toContain(`rolled back automatically: current is ${before} again and healthy`);
    expect(await f.serving()).toBe(before);
    const live = Number(readFileSync(pm2DaemonFiles(f.s.dir).pidFile, "utf8").trim());
    const bwraps = daemonBwraps(f.s.pm2Home);
    expect(bwraps, "only the live daemon's bwrap and its namespace's init").toHaveLength(2);
    expect(
      bwraps.every((p) => p === live || ppidOf(p) === live),
      JSON.stringify(bwraps),
    ).toBe(true);
  }, 180_000);

  /**
   * The app runs as the daemon's child, so it can stop the daemon (or hang it): PM2's client then waits without end.
   * A release whose backend ran `kill -STOP` on its parent at start deployed fine (it served), and the next deploy hung
   * in its reload task's `pm2 delete` for as long as it was let run (120 s tried), lock held and `current` switched to
   * a release that never started; a CI timeout's SIGKILL left the lock, `current` and the key copy so. Now each pm2
   * command has a bound (here 3 s, server.json's pm2TimeoutSeconds): the deploy fails saying PM2's daemon does not
   * answer and how to check it, rolls back to the last release that passed health, and leaves no lock or key copy.
   * Last in this describe: the daemon stays stopped until the server is.
   */
  it("a release that stops PM2's daemon: the next deploy gives up on pm2 within its bound and rolls back", async () => {
    const json = join(f.s.base, "shared/server.json");
    writeFileSync(json, JSON.stringify({ ...JSON.parse(readFileSync(json, "utf8")), pm2TimeoutSeconds: 3 }));
    const stopper = f.variant("stop-pm2", {
      "backend/app/__init__.py":
        '"""Stops its parent, PM2\'s daemon, at start."""\nimport os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\n',
    });
    const r1 = await f.deploy(stopper, "6f1e2d3c4b5a69788796a5b4c3d2e1f001122334");
    expect(r1.exitCode, r1.output).toBe(0);
    const stopped = f.currentId();
    expect(await f.serving()).toBe(stopped);
    // This run's own temp folder, so its key holder is its own to look into.
    const tmp = join(f.root, "tmp-pm2");
    mkdirSync(tmp, { recursive: true });
    const t = performance.now();
    const r2 = await f.deploy(f.variant("after-stop", {}), "7a8b9c0d1e2f30415263748596a7b8c9d0e1f203", { TMPDIR: tmp });
    const took = (performance.now() - t) / 1000;
    seconds.push(took);
    expect(r2.exitCode, r2.output).toBe(1);
    expect(r2.output).toMatch(/deploy failed at reload: .*pm2 delete got no answer from PM2's daemon within 3 s/s);
    expect(r2.output).toMatch(/PM2's daemon \(PM2_HOME=.*\) does not answer: it is stopped or hung/);
    expect(r2.output).toMatch(/Check it: .*timeout 10 env PM2_HOME=.* ping/);
    expect(r2.output).toContain(`rolled back automatically: current is ${stopped} again and healthy`);
    // The rollback asks PM2 nothing more: its warm slot needs no start, and the abandoned slot is left as it is.
    expect(r2.output).toMatch(/automatic rollback: PM2's daemon does not answer, so slot \d is left as it is/);
    expect(took, r2.output).toBeLessThan(60);
    expect(f.locked(), "the lock is released").toBe(false);
    expect(f.currentId()).toBe(stopped);
    expect(await f.serving()).toBe(stopped);
    expect(readdirSync(join(tmp, keyHolderName(process.getuid?.() ?? 0))), "no key copy is left").toEqual([]);
  }, 180_000);
});

/**
 * The confined PM2 daemon's bwrap stays outside its namespace. Started from the deploy's task shell, it kept
 * DEPLOY_BASE as its working folder: the full suite's teardown of the tmpfs DEPLOY_BASE fixture then failed
 * (`umount` busy, `rmdir …/staging/base`: EBUSY) whenever bwrap outlived stopStagingServer by a moment.
 */
describe.runIf(probeSandbox().ok)("the bundled staging server's confined PM2 daemon", () => {
  it("holds no folder of the server's, and is gone with its apps once the server is stopped, killed or not", async () => {
    const f = await deployFixture();
    try {
      const first = await f.deploy(f.artifact, SHA);
      expect(first.exitCode, first.output).toBe(0);
      const bwrap = Number(readFileSync(pm2DaemonFiles(f.s.dir).pidFile, "utf8").trim());
      expect(readlinkSync(`/proc/${bwrap}/cwd`)).toBe("/");
      // An app kills the daemon (as a release can): its bwrap ends, its namespace's init and the Python apps run on.
      const [init] = daemonBwraps(f.s.pm2Home).filter((p) => ppidOf(p) === bwrap);
      const god = readdirSync("/proc")
        .map(Number)
        .find((p) => ppidOf(p) === init && readFileSync(`/proc/${p}/cmdline`, "utf8").includes("God Daemon"));
      process.kill(god!, "SIGKILL");
      for (let i = 0; i < 200 && ppidOf(bwrap) !== 0 && !/ Z /.test(readFileSync(`/proc/${bwrap}/stat`, "utf8")); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(processesIn(f.s.base).length, "apps outlived the daemon").toBeGreaterThan(0);
      await stopStagingServer(f.s.dir);
      const stat = existsSync(`/proc/${bwrap}/stat`) ? readFileSync(`/proc/${bwrap}/stat`, "utf8") : "";
      expect(stat === "" || / Z /.test(stat), stat).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      expect(processesIn(f.s.dir), "nothing of the server runs on").toEqual([]);
    } finally {
      await f.close();
    }
  }, 400_000);
});
