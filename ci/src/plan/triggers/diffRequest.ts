/**
 * What to diff, as the trigger describes it, and what diffBase.ts made of it.
 * Plain data shared by the pure planner and the git-driven resolver.
 */

/** GitHub's `before` for a branch's first push. */
export const ZERO_SHA = "0000000000000000000000000000000000000000";

/** The diff a trigger asks for, before any git work. */
export type DiffRequest =
  /** Pull request: diff head against its merge-base with the target (`base` is a sha or branch). */
  | { kind: "pull_request"; base: string; baseRef?: string; head: string }
  /** Push: diff the pushed head against `before` (ZERO_SHA on a new branch). */
  | { kind: "push"; before: string; head: string; defaultBranch?: string }
  /** A run triggered by another workflow's run: its head commit, and its PR base when it had one. */
  | { kind: "workflow_run"; head: string; headBranch?: string; pullRequestBase?: string; defaultBranch?: string }
  /** `--base/--head` given by hand: the base must exist. */
  | { kind: "range"; base: string; head: string }
  /** Nothing to diff against (schedule, workflow_dispatch): run everything. */
  | { kind: "none"; reason: string };

/** The diff base found, with the changed paths; or "all" with the warning saying why. */
export type BaseResolution =
  | { kind: "diff"; base: string; head: string; how: string; changedPaths: string[]; warnings: string[] }
  | { kind: "all"; warning: string };
