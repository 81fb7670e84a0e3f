import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { $ } from "zx";
import { startPipeline, type RunningCli } from "../../support/cli";
import { deployFixture, SHA, type DeployFixture } from "../../support/deployFixture";
import { keyCopyDirs } from "../../../scripts/host/target";

/**
 * SIGTERM (a cancelled CI job) and SIGINT (Ctrl-C) sent for real to a running deploy on a real loopback staging
 * server: the lock is released, no copy of the private key is left in the temp dir, and `current` points at a
 * release that passed health. SIGTERM while health waits on a hung app:
 * test/integration/host/deploy.signalsHealth.test.ts.
 */
describe("deploy interrupted by a signal", () => {
  let f: DeployFixture;
  let good: string;

  /** A deploy of `artifact` as the CLI runs it, with a temp dir of its own to look for key copies in afterwards. */
  function start(artifact: string, commit: string): { run: RunningCli; tmp: string } {
    const tmp = mkdtempSync("/tmp/sig-");
    const args = ["deploy-staging", "--artifact", artifact, "--commit", commit, "--source", f.appDir];
    return { run: startPipeline(args, f.env({ TMPDIR: tmp })), tmp };
  }

  /**
   * The files under `dir` holding this server's private key (the 0600 copies live in deploy-ssh-* dirs); not the
   * words "PRIVATE KEY", which tsx's cache of the deploy's own sources holds too.
   */
  function keyCopies(dir: string): string[] {
    return readdirSync(dir, { recursive: true, encoding: "utf8" })
      .map((rel) => join(dir, rel))
      .filter((p) => statSync(p).isFile() && readFileSync(p, "utf8").includes(keyBody(f.s.keyFile)));
  }

  async function expectSafe(tmp: string, want: string): Promise<void> {
    expect(f.locked(), "the deploy lock is still held").toBe(false);
    expect(keyCopies(tmp)).toEqual([]);
    expect(keyCopyDirs(tmp)).toEqual([]);
    expect(f.currentId()).toBe(want);
    expect(await f.serving()).toBe(want);
  }

  beforeAll(async () => {
    f = await deployFixture();
    const first = await f.deploy(f.artifact, SHA);
    expect(first.exitCode, first.output).toBe(0);
    good = f.currentId();
  }, 300_000);
  afterAll(async () => {
    await f?.close();
  }, 60_000);

  it("SIGTERM mid-rsync: the upload stops, the release is removed, the lock released, no key copy left", async () => {
    const heavy = f.variant("heavy", { "frontend/public/big.bin": randomBytes(128 * 1024 * 1024) });
    const { run, tmp } = start(heavy, "5555555eeee");
    await waitForServerRsync(f.s.base);
    run.signal("SIGTERM");
    const r = await run.done;
    expect(r.stderr).toMatch(/deploy failed at upload: interrupted by SIGTERM\ncurrent is untouched .*was removed/);
    expect(r.exitCode).toBe(143);
    await expectSafe(tmp, good);
    expect(f.releases()).not.toContainEqual(expect.stringMatching(/-5555555$/));
  }, 180_000);

  it("SIGINT to the whole process group (Ctrl-C) after the switch: current goes back to the good release", async () => {
    const { run, tmp } = start(f.variant("ctrl-c", { "frontend/public/c.txt": "c\n" }), "7777777aaaa");
    await waitForCurrent(f, /-7777777$/);
    process.kill(-run.pid, "SIGINT");
    const r = await run.done;
    expect(r.stderr, r.output).toMatch(/interrupted by SIGINT|SIGINT/);
    expect(r.exitCode).not.toBe(0);
    await expectSafe(tmp, good);
  }, 180_000);
});

/** Wait for the server side of the upload (`rsync --server … <base>/releases/…`). */
async function waitForServerRsync(base: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    const r = await $({ quiet: true, nothrow: true })`pgrep -f ${`rsync --server.*${base}/releases/`}`;
    if (r.stdout.trim()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("rsync --server was never seen");
}

/** Wait until `current` points at a release whose id matches `re`. */
async function waitForCurrent(f: DeployFixture, re: RegExp): Promise<string> {
  for (const end = Date.now() + 150_000; Date.now() < end;) {
    const id = (() => {
      try {
        return f.currentId();
      } catch {
        return "";
      }
    })();
    if (re.test(id)) return id;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`current never pointed at ${re}`);
}

/** A line of the key's base64 body: in every copy of the key, and in no source file. */
function keyBody(keyFile: string): string {
  return readFileSync(keyFile, "utf8").split("\n")[1];
}
