import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
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
