import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

/** A repository whose branch `bad` holds `n` commits with subjects that break the convention, over `main`. */
function repoWithBadCommits(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), "many-commits-"));
  const git = (args: string[], input?: string) =>
    execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd: dir, input, encoding: "utf8" });
  git(["init", "-q", "-b", "main"]);
  git(["commit", "-q", "--allow-empty", "-m", "feat: base"]);
  const base = git(["rev-parse", "HEAD"]).trim();
  let stream = "";
  for (let i = 0; i < n; i++) {
    const msg = `WIP change number ${i} with some words\n`;
    stream += `commit refs/heads/bad\ncommitter t <t@t> ${1_700_000_000 + i} +0000\ndata ${msg.length}\n${msg}`;
    if (i === 0) stream += `from ${base}\n`;
  }
  git(["fast-import", "--quiet"], stream);
  return dir;
}

/**
 * The entry point ended with process.exit() as soon as the message was handed to stderr: to a pipe (`| less`, `| tee`,
 * a CI log) Node had written only the first 64 KiB, so `check-commits` over a pull request of 3,000 bad commits printed
 * a third of them, cut mid-line, and never its "Fix:" line (the tenth hostile run). What was written is now flushed
 * before the exit.
 */
describe("the host runner's output to a pipe", () => {
  it("is written whole before the process exits, the fix line last", () => {
    const repo = repoWithBadCommits(3000);
    try {
      // A shell pipe, as a user's `| tail`: the runner's stderr is a pipe that a slower reader drains.
      const r = spawnSync(
        "bash",
        ["-c", `"$0" "$1" check-commits --source "$2" --base main --head bad 2>&1 | (sleep 1; cat)`].concat(
          join(ROOT, "node_modules/.bin/tsx"),
          join(ROOT, "scripts/pipeline.ts"),
          repo,
        ),
        { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 90_000 },
      );
      expect(r.stdout.length).toBeGreaterThan(65_536);
      expect(r.stdout).toMatch(/WIP change number 2999 with some words/);
      expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/^Fix: reword them/);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  }, 120_000);
});

/** The runner under GITHUB_ACTIONS=true: its first line stops workflow commands, and `::<token>::` resumes them. */
const tokenOf = (out: string) => /^::stop-commands::([0-9a-f]{32})$/m.exec(out)?.[1];

/**
 * In a GitHub Actions step the runner stops workflow commands with a token and resumes them as it exits (d576af4). The
 * resuming line was written in process 'exit' only: a stop signal with no handler of the runner's own (a cancelled
 * step's SIGTERM, a `timeout`, during `plan`, `check-commits`, `staging-commit`) ended Node without it, so the rest of
 * the step's output gave no command; and a reader gone (`| head -1`) threw EPIPE in the exit listener, a stack trace
 * (the eleventh hostile run).
 */
describe("the host runner's end of a CI step's workflow-command stop", () => {
  it("is written once, last, when a signal ends a command that holds nothing; the signal still ends it", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((ok) => silent.listen(0, "127.0.0.1", ok));
    const port = (silent.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), "resume-commands-"));
    try {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "id"), "-C", "ci"]);
      const pub = readFileSync(join(dir, "id.pub"), "utf8").split(" ").slice(0, 2).join(" ");
      const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts/pipeline.ts"), "staging-commit"], {
        cwd: ROOT,
        env: {
          ...process.env,
          GITHUB_ACTIONS: "true",
          TMPDIR: dir,
          STAGING_SERVER_DIR: join(dir, "no-staging"),
          STAGING_SSH_HOST: "127.0.0.1",
          STAGING_SSH_PORT: String(port),
          STAGING_SSH_USER: "deploy",
          STAGING_DEPLOY_PATH: "/srv/app",
          STAGING_SSH_KEY_FILE: join(dir, "id"),
          STAGING_KNOWN_HOSTS: `[127.0.0.1]:${port} ${pub}`,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.resume();
      const ended = new Promise<[number | null, NodeJS.Signals | null]>((ok) =>
        child.on("close", (code, signal) => ok([code, signal])),
      );
      // Its ssh waits on a host that accepts TCP and never answers (ConnectTimeout=5).
      while (!tokenOf(out)) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 1000));
      child.kill("SIGTERM");
      const [code, signal] = await ended;
      expect(signal === "SIGTERM" || code === 143, `${code} ${signal}`).toBe(true);
      const lines = out.trimEnd().split("\n");
      expect(lines.at(-1)).toBe(`::${tokenOf(out)}::`);
      expect(lines.filter((l) => l === `::${tokenOf(out)}::`)).toHaveLength(1);
    } finally {
      silent.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("is dropped without a stack trace when the reader is gone, the exit code kept", () => {
    const r = spawnSync(
      "bash",
      ["-c", `"$0" --import tsx "$1" plan --event push --branch develop | head -1; exit "\${PIPESTATUS[0]}"`].concat(
        process.execPath,
        join(ROOT, "scripts/pipeline.ts"),
      ),
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, GITHUB_ACTIONS: "true" }, timeout: 60_000 },
    );
    expect(r.stdout).toMatch(/^::stop-commands::[0-9a-f]{32}\n$/);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.status).toBe(0);
  }, 60_000);
});
