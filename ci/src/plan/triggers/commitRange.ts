/**
 * List the commits a pull request adds, through the same `Git` function as diffBase.ts.
 */
import { resolveDiffBase, type Git } from "./diffBase";
import type { CommitInfo } from "./commits";

/** The non-merge commits from the merge-base of base and head up to head, oldest first. */
export async function listCommits(base: string, head: string, git: Git): Promise<CommitInfo[]> {
  const res = await resolveDiffBase({ kind: "range", base, head }, git);
  const from = res.kind === "diff" ? res.base : base;
  const to = res.kind === "diff" ? res.head : head;
  const r = await git(["log", "--no-merges", "--reverse", "--format=%H%x1f%s", `${from}..${to}`]);
  if (r.code !== 0) throw new Error(`git log ${from}..${to} failed: ${r.stderr.trim()}`);
  return r.stdout
    .split("\n")
    .filter((l) => l.includes("\x1f"))
    .map((l) => {
      const [sha, subject] = l.split("\x1f");
      return { sha, subject };
    });
}
