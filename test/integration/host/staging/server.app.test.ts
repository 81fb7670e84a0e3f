import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyHolderName } from "../../../../ci/src/plan/deploy/ssh";
import { deployFixture, SHA, type DeployFixture } from "../../../support/deployFixture";

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
    for p in ${JSON.stringify([join(staging, "base/shared/server.json"), join(staging, "bin/pm2")])}:
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
    console.log(`deploy seconds (good, hostile): ${seconds.map((s) => s.toFixed(1)).join(", ")}`);
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
});
