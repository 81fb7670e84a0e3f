import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../support/example";
import { tinyStaging, type TinyStaging } from "../../support/tinyStaging";
import { keyCopyDirs } from "../../../scripts/host/target";

/**
 * The ways a person's terminal ends a deploy besides Ctrl-C, on the real loopback staging server with the tiny
 * release: the terminal closing (a dropped ssh session to the laptop: SIGHUP, then EIO on every write), the output
 * pipe closing (`deploy-staging | head`: EPIPE on every write), Ctrl-\ (SIGQUIT). Each time the lock is released and
 * no key copy is left.
 */
describe("a deploy whose terminal goes away", () => {
  let t: TinyStaging;
  let n = 0;
  const commit = () => `${String(++n).padStart(7, "c")}0ff`;
  // node itself, not tsx's wrapper process: the signals and the terminal reach the process that holds the lock.
  const cli = (args: string[]) => [process.execPath, "--import", "tsx", join(ROOT, "scripts/pipeline.ts"), ...args];
  const deployArgs = (c: string) => [
    ...["deploy-staging", "--artifact", t.repo.artifact, "--commit", c, "--source", t.repo.source],
  ];
  const keyDirs = (tmp: string) => keyCopyDirs(tmp);

  beforeAll(async () => {
    t = await tinyStaging();
    const r = await t.deploy(commit());
    expect(r.exitCode, r.output).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  /**
   * Run argv on a pseudo-terminal of its own (python3's pty: it is the session's controlling terminal), close the
   * terminal once the output shows `at`, and return what the process printed before and how it ended.
   */
  function onClosedTerminal(argv: string[], at: string, env: NodeJS.ProcessEnv) {
    const py = `import os, pty, select, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
out = b""
while sys.argv[1].encode() not in out:
    if not select.select([fd], [], [], 60)[0]: break
    try: out += os.read(fd, 4096)
    except OSError: break
os.close(fd)
print(out.decode(errors="replace"))
print("ENDED", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
`;
    const child = spawn("python3", ["-c", py, at, ...argv], { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    return new Promise<{ out: string; ended: number }>((ok) =>
      child.on("close", () => ok({ out, ended: Number(/ENDED (-?\d+)/.exec(out)?.[1]) })),
    );
  }

  it("the terminal closes mid-deploy: the failure path runs, the lock is released, no key copy is left", async () => {
    const before = t.currentId();
    const tmp = mkdtempSync(join(t.root, "tmp-"));
    const c = commit();
    const r = await onClosedTerminal(cli(deployArgs(c)), "task upload", t.env({ TMPDIR: tmp }));
    expect(r.out).toContain("task upload");
    // Node 20 then aborts in its own exit (nodejs/node#51519: restoring a hung-up terminal), after the failure path.
    expect(r.ended, r.out).not.toBe(0);
    expect(
      t
        .log()
        .filter((e) => e.id.endsWith(c.slice(0, 7)))
        .pop(),
    ).toMatchObject({
      status: "failed",
      reason: "interrupted by SIGHUP",
    });
    expect(t.locked(), "the lock is still held").toBe(false);
    expect(keyDirs(tmp)).toEqual([]);
    expect(t.currentId()).toBe(before);
    expect(t.releases().filter((id) => id.endsWith(c.slice(0, 7)))).toEqual([]);
  }, 120_000);

  it("the output pipe closes mid-deploy (| head): the deploy goes on to the end and releases the lock", async () => {
    const tmp = mkdtempSync(join(t.root, "tmp-"));
    const c = commit();
    const child = spawn(cli(deployArgs(c))[0], cli(deployArgs(c)).slice(1), {
      cwd: ROOT,
      env: t.env({ TMPDIR: tmp }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((ok) => child.on("exit", (c) => ok(c)));
    expect(code, err).toBe(0);
    expect(t.locked()).toBe(false);
    expect(keyDirs(tmp)).toEqual([]);
    expect(t.currentId()).toMatch(new RegExp(`-${c.slice(0, 7)}$`));
  }, 120_000);

  it("Ctrl-\\ (SIGQUIT) mid-deploy: as Ctrl-C, the lock is released, no key copy is left, exit 131", async () => {
    const before = t.currentId();
    const tmp = mkdtempSync(join(t.root, "tmp-"));
    const argv = cli(deployArgs(commit()));
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env: t.env({ TMPDIR: tmp }), stdio: "pipe" });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    while (!out.includes("task upload") && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGQUIT");
    const code = await new Promise<number | null>((ok) => child.on("exit", (c) => ok(c)));
    expect(code, out).toBe(131);
    expect(out).toMatch(/SIGQUIT: stopping/);
    expect(t.locked()).toBe(false);
    expect(keyDirs(tmp)).toEqual([]);
    expect(t.currentId()).toBe(before);
  }, 120_000);

  /**
   * The server check only reads, so a signal stops it at once, as it stops the other reading steps. It waited for ssh
   * to give up on a host that accepts and never answers (ConnectTimeout), then exited 1 "check server failed".
   */
  it("SIGTERM while the server check waits on a host that never answers: exit 143 at once, no key copy", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((ok) => silent.listen(0, "127.0.0.1", ok));
    const port = (silent.address() as AddressInfo).port;
    const tmp = mkdtempSync(join(t.root, "tmp-"));
    try {
      const knownHosts = readFileSync(join(t.s.dir, "deploy.env"), "utf8").match(/STAGING_KNOWN_HOSTS="(.*)"/)![1];
      const env = t.env({
        TMPDIR: tmp,
        STAGING_SSH_PORT: String(port),
        STAGING_KNOWN_HOSTS: knownHosts.replace(/\]:\d+/, `]:${port}`),
      });
      const argv = cli(["rollback", "--source", t.repo.source]);
      const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      while (!keyDirs(tmp).length && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 300));
      const sent = Date.now();
      child.kill("SIGTERM");
      const code = await new Promise<number | null>((ok) => child.on("exit", (c) => ok(c)));
      expect(code, out).toBe(143);
      expect(Date.now() - sent, "seconds from the signal to the exit").toBeLessThan(2000);
      expect(out).toContain("interrupted by SIGTERM");
      expect(keyDirs(tmp)).toEqual([]);
    } finally {
      silent.close();
    }
  }, 60_000);
});
