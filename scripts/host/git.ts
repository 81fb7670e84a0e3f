import { existsSync, lstatSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { $ } from "zx";
import type { Git } from "../../ci/src/plan/triggers/diffBase";

/** Run git in a host directory for diffBase.ts; never prompts for credentials, never throws on exit codes. */
export function gitPort(cwd: string): Git {
  return async (args) => {
    const r = await $({
      cwd,
      quiet: true,
      nothrow: true,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
    })`git ${args}`;
    return { code: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
  };
}

/**
 * The git state of the checkout `dir` is in, which the runner's own git reads later (its config, hooks, index): the
 * `.git` folder of the nearest checkout above `dir`, or for a worktree its `.git` file, its git dir and the common
 * one. None when `dir` is in no checkout.
 */
export function gitDirsOf(dir: string | undefined): string[] {
  if (!dir || !isAbsolute(dir)) return [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    const dotGit = join(d, ".git");
    if (existsSync(dotGit)) {
      if (lstatSync(dotGit).isDirectory()) return [dotGit];
      const named = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
      if (!named) return [dotGit];
      const gitDir = resolve(d, named);
      const common = join(gitDir, "commondir");
      return [dotGit, gitDir, ...(existsSync(common) ? [resolve(gitDir, readFileSync(common, "utf8").trim())] : [])];
    }
    if (d === dirname(d)) return [];
  }
}
