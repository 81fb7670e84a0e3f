import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript } from "../support/cli";
import { ROOT } from "../support/example";
import { tinyRepo, type TinyRepo } from "../support/tinyRelease";
import { tinyStaging, type TinyStaging } from "../support/tinyStaging";

/**
 * scripts/serverDeploy.ts, the emergency path on the server itself, run as a person types it: every flag is checked
 * before the lock, exit 2 with one line that says the fix, no stack trace, and the deploy base untouched
 * (test/integration/deploy/context.serverEnv.test.ts deploys with it for real).
 */
describe("serverDeploy.ts flags", () => {
  let root: string;
  let base: string;
  let repo: TinyRepo;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "server-flags-"));
    base = join(root, "base");
    repo = tinyRepo(root);
    mkdirSync(base);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const deployArgs = (extra: string[]) => [
    "--base",
    base,
    "--artifact",
    repo.artifact,
    "--commit",
    "abc1234",
    ...extra,
  ];

  it.each([
    [["--watch-seconds", "1e12"], /--watch-seconds "1e12" is not .*0 to 1800.*; pass e\.g\. --watch-seconds 60/],
    [["--watch-seconds", "1801"], /--watch-seconds "1801" is not .*0 to 1800/],
    [["--watch-seconds", "abc"], /--watch-seconds "abc" is not/],
    [["--watch-seconds="], /--watch-seconds "" is not/],
    [["--keep", "1e3"], /--keep "1e3" is not .*1 to 50/],
    [["--keep", "0"], /--keep "0" is not .*1 to 50/],
    [["--keep", "abc"], /--keep "abc" is not/],
    [["--bogus", "1"], /Unknown option '--bogus'; usage: npx tsx scripts\/serverDeploy\.ts/],
    [["--commit", "$(id)"], /"\$\(id\)" is not a commit sha/],
  ])(
    "serverDeploy.ts %j: exit 2 with the fix, before the lock",
    async (extra, message) => {
      const r = await runScript("serverDeploy.ts", deployArgs(extra));
      expect(r.output).toMatch(message);
      expect(r.output).toMatch(/^input error: /);
      expect(r.output).not.toMatch(/\n\s+at /);
      expect(r.exitCode).toBe(2);
      expect(readdirSync(base), "nothing may be written to the deploy base").toEqual([]);
    },
    60_000,
  );

  it("serverDeploy.ts --artifact that is not a release, or --base that is missing: exit 2, nothing written", async () => {
    const notRelease = await runScript("serverDeploy.ts", ["--base", base, "--artifact", root, "--commit", "abc1234"]);
    expect(notRelease.output).toMatch(/--artifact .* has no frontend\/server\.js/);
    expect(notRelease.exitCode).toBe(2);
    const noBase = await runScript("serverDeploy.ts", deployArgs(["--base", join(root, "nope")]));
    expect(noBase.output).toMatch(/--base .*nope does not exist/);
    expect(noBase.exitCode).toBe(2);
    expect(readdirSync(base)).toEqual([]);
  }, 60_000);

  /**
   * A release is named and logged by --commit, while staging-commit (and so E2E's record) reads the REVISION the
   * artifact was built with: an artifact of another commit was deployed as --commit, its log saying one commit and
   * its REVISION another.
   */
  it("serverDeploy.ts --artifact built from another commit than --commit: exit 2 naming both, nothing written", async () => {
    const other = join(root, "other-commit");
    cpSync(repo.artifact, other, { recursive: true });
    writeFileSync(join(other, "REVISION"), "1234567890abcdef1234567890abcdef12345678\n");
    const r = await runScript("serverDeploy.ts", ["--base", base, "--artifact", other, "--commit", "abc1234"]);
    expect(r.output).toMatch(
      /^input error: --artifact \S+ was built from commit 1234567890abcdef1234567890abcdef12345678 \(its REVISION\), not abc1234\. Fix: /,
    );
    expect(r.exitCode).toBe(2);
    expect(readdirSync(base)).toEqual([]);
    const prefix = await runScript("serverDeploy.ts", ["--base", base, "--artifact", other, "--commit", "0000000"]);
    expect(prefix.exitCode).toBe(2);
  }, 60_000);
});

/**
 * SIGTERM sent for real to serverDeploy.ts on the staging server itself while its health check waits on a hung app
 * (the tiny release's stall-health): the failure path runs as in the pipeline.
 */
describe("serverDeploy.ts under SIGTERM", () => {
  let t: TinyStaging;
  beforeAll(async () => {
    t = await tinyStaging();
    const r = await t.deploy("1111111aaaa");
    expect(r.exitCode, r.output).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  it("rolls back to the release that passed health, releases the lock and exits 143", async () => {
    const good = t.currentId();
    const hung = t.variant("hung", { "frontend/stall-health": "" });
    const child = spawn(
      join(ROOT, "node_modules/.bin/tsx"),
      [join(ROOT, "scripts/serverDeploy.ts"), "--base", t.s.base, "--artifact", hung, "--commit", "2222222bbbb"],
      { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const done = new Promise<number | null>((ok) => child.on("close", (code) => ok(code)));
    for (const end = Date.now() + 120_000; !/task health/.test(out);) {
      if (Date.now() > end || child.exitCode !== null)
        throw new Error(`never reached health:\n${out}\nthe apps' logs:\n${t.appLogs()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    process.kill(-child.pid!, "SIGTERM");
    expect(await done, out).toBe(143);
    expect(out).toMatch(/interrupted by SIGTERM/);
    expect(out).toContain(`rolled back automatically: current is ${good} again and healthy`);
    expect(t.locked()).toBe(false);
    expect(t.currentId()).toBe(good);
    expect(await t.serving()).toBe(good);
  }, 180_000);
});
