/**
 * Find the right commit to diff against, where dorny/paths-filter gets it wrong:
 * PR merge-base, push `before`, first push, force push, workflow_run, shallow clones.
 * All git work goes through a `Git` function, so the host (zx) and a container run the same logic.
 */
import { InputError } from "../errors";
import { printable } from "./commits";
import { ZERO_SHA, type BaseResolution, type DiffRequest } from "./diffRequest";

/** What one git command gave. */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `git <args>` in the repository; never throws on a non-zero exit. */
export type Git = (args: string[]) => Promise<GitResult>;

/** A commit named by hand (`--base/--head`) that the repository does not have and cannot fetch. */
export class MissingCommitError extends InputError {
  constructor(
    readonly role: "base" | "head",
    readonly commit: string,
    detail: string,
  ) {
    super(
      `${role} commit "${commit}" is not in the repository${detail ? ` (${detail})` : ""}. Fix: check the sha or branch name, or fetch the history first (git fetch --unshallow origin; in GitHub Actions, actions/checkout with fetch-depth: 0)`,
    );
  }
}

/**
 * A revision (from a flag or an event payload) that starts with "-": git reads any argument so written as an option,
 * wherever it stands, and `git fetch origin --upload-pack=<command>` runs that command.
 */
export class OptionLikeRevisionError extends InputError {
  constructor(
    readonly role: string,
    readonly revision: string,
  ) {
    super(
      `${role} "${printable(revision)}" starts with "-", so git would read it as an option; pass a commit sha or a branch name`,
    );
  }
}

const REMOTE = "origin";

/** Each revision a request hands to git, by its role in messages. */
function revisionsOf(req: DiffRequest): [string, string | undefined][] {
  switch (req.kind) {
    case "pull_request":
      return [
        ["pull request base", req.base],
        ["pull request base branch", req.baseRef],
        ["pull request head", req.head],
      ];
    case "push":
      return [
        ["push before", req.before],
        ["pushed head", req.head],
        ["default branch", req.defaultBranch],
      ];
    case "workflow_run":
      return [
        ["workflow_run head", req.head],
        ["workflow_run pull request base", req.pullRequestBase],
      ];
    case "range":
      return [
        ["base", req.base],
        ["head", req.head],
      ];
    case "none":
      return [];
  }
}

/** Refuse, before any git command, a revision git would take for an option. */
export function checkRevisions(req: DiffRequest): void {
  for (const [role, rev] of revisionsOf(req)) if (rev?.startsWith("-")) throw new OptionLikeRevisionError(role, rev);
}

/** Resolve the diff base for a request and list the changed paths; doubt gives "all" with a warning. */
export async function resolveDiffBase(req: DiffRequest, git: Git): Promise<BaseResolution> {
  if (req.kind === "none") return all(`${req.reason}: running every job`);
  checkRevisions(req);
  if ((await git(["rev-parse", "--git-dir"])).code !== 0) {
    if (req.kind === "range") throw new MissingCommitError("base", req.base, "no git repository here");
    return all("no git repository to diff in: running every job");
  }
  switch (req.kind) {
    case "pull_request":
      return fromPullRequest(req.base, req.baseRef, req.head, git);
    case "push":
      return fromPush(req, git);
    case "workflow_run":
      return fromWorkflowRun(req, git);
    case "range":
      return fromRange(req.base, req.head, git);
  }
}

async function fromPullRequest(
  base: string,
  baseRef: string | undefined,
  head: string,
  git: Git,
): Promise<BaseResolution> {
  const h = await ensureCommit(head, git);
  const b = await ensureCommit(base, git, baseRef);
  if (!h || !b) return all(`pull request ${!h ? `head ${head}` : `base ${base}`} cannot be fetched: running every job`);
  const mb = await mergeBaseDeepening(b, h, git);
  if (!mb)
    return all(`no merge-base between ${short(b)} and ${short(h)} even after deepening the clone: running every job`);
  return diff(mb, h, `pull request: merge-base of head with ${baseRef ?? short(b)}`, [], git);
}

async function fromPush(req: Extract<DiffRequest, { kind: "push" }>, git: Git): Promise<BaseResolution> {
  const h = await ensureCommit(req.head, git);
  if (!h) return all(`pushed head ${req.head} cannot be fetched: running every job`);
  if (req.before === ZERO_SHA) return fromNewBranch(h, req.defaultBranch, "first push of this branch", git);
  const before = await ensureCommit(req.before, git);
  if (!before)
    return all(`push: the before commit ${short(req.before)} cannot be fetched (force push?): running every job`);
  if (await isAncestorDeepening(before, h, git)) return diff(before, h, "push: the before commit", [], git);
  const mb = await mergeBaseDeepening(before, h, git);
  if (!mb) return all(`force push: ${short(before)} shares no history with ${short(h)}: running every job`);
  return diff(
    mb,
    h,
    "force push: merge-base of the old and new head",
    [`force push: ${short(before)} is not an ancestor of ${short(h)}; diffing from their merge-base ${short(mb)}`],
    git,
  );
}

async function fromNewBranch(
  head: string,
  defaultBranch: string | undefined,
  why: string,
  git: Git,
): Promise<BaseResolution> {
  if (!defaultBranch) return all(`${why} and no default branch known: running every job`);
  const ref = await ensureCommit(`refs/remotes/${REMOTE}/${defaultBranch}`, git, defaultBranch);
  if (!ref) return all(`${why}: default branch ${defaultBranch} cannot be fetched: running every job`);
  const mb = await mergeBaseDeepening(ref, head, git);
  if (!mb || mb === head)
    return all(`${why}: no commits of its own beyond ${defaultBranch} to diff: running every job`);
  return diff(mb, head, `${why}: merge-base with ${defaultBranch}`, [], git);
}

async function fromWorkflowRun(req: Extract<DiffRequest, { kind: "workflow_run" }>, git: Git): Promise<BaseResolution> {
  if (req.pullRequestBase) return fromPullRequest(req.pullRequestBase, undefined, req.head, git);
  const h = await ensureCommit(req.head, git);
  if (!h) return all(`workflow_run head ${req.head} cannot be fetched: running every job`);
  if (req.headBranch && req.defaultBranch && req.headBranch !== req.defaultBranch) {
    return fromNewBranch(h, req.defaultBranch, `workflow_run on ${req.headBranch}`, git);
  }
  return all(
    `workflow_run on ${req.headBranch ?? "an unknown branch"}: its payload carries no before commit: running every job`,
  );
}

async function fromRange(base: string, head: string, git: Git): Promise<BaseResolution> {
  const h = await ensureCommit(head, git);
  if (!h) throw new MissingCommitError("head", head, "git fetch could not get it");
  const b = await ensureCommit(base, git);
  if (!b) throw new MissingCommitError("base", base, "git fetch could not get it");
  if (await isAncestorDeepening(b, h, git)) return diff(b, h, "given base", [], git);
  const mb = await mergeBaseDeepening(b, h, git);
  if (!mb) return all(`${short(b)} and ${short(h)} share no history: running every job`);
  return diff(
    mb,
    h,
    "merge-base of the given base and head",
    [`${short(b)} is not an ancestor of ${short(h)}; diffing from their merge-base ${short(mb)}`],
    git,
  );
}

/** The commit sha of `rev`, fetching it (then `branch`) from the remote when missing. */
async function ensureCommit(rev: string, git: Git, branch?: string): Promise<string | undefined> {
  const local = await commitOf(rev, git);
  if (local) return local;
  await git(["fetch", "--no-tags", "--quiet", REMOTE, rev]);
  const fetched = await commitOf(rev, git);
  if (fetched || !branch) return fetched;
  await git(["fetch", "--no-tags", "--quiet", REMOTE, `+refs/heads/${branch}:refs/remotes/${REMOTE}/${branch}`]);
  return commitOf(rev, git);
}

/** The full sha `rev` names in the repository, or undefined. */
export async function commitOf(rev: string, git: Git): Promise<string | undefined> {
  const r = await git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** Deepen a shallow clone step by step (then unshallow) until `found` holds; false when it never does. */
async function deepening(found: () => Promise<boolean>, git: Git): Promise<boolean> {
  if (await found()) return true;
  for (const args of [["--deepen=100"], ["--unshallow"]]) {
    if ((await git(["rev-parse", "--is-shallow-repository"])).stdout.trim() !== "true") return false;
    await git(["fetch", "--no-tags", "--quiet", ...args, REMOTE]);
    if (await found()) return true;
  }
  return false;
}

async function mergeBaseDeepening(a: string, b: string, git: Git): Promise<string | undefined> {
  let mb: string | undefined;
  const found = async () => {
    const r = await git(["merge-base", a, b]);
    mb = r.code === 0 ? r.stdout.trim() : undefined;
    return mb !== undefined;
  };
  return (await deepening(found, git)) ? mb : undefined;
}

async function isAncestorDeepening(a: string, b: string, git: Git): Promise<boolean> {
  return deepening(async () => (await git(["merge-base", "--is-ancestor", a, b])).code === 0, git);
}

async function diff(base: string, head: string, how: string, warnings: string[], git: Git): Promise<BaseResolution> {
  const r = await git(["diff", "--name-only", "--no-renames", "-z", base, head]);
  if (r.code !== 0) return all(`git diff ${short(base)} ${short(head)} failed (${r.stderr.trim()}): running every job`);
  const changedPaths = r.stdout.split("\0").filter((p) => p !== "");
  return { kind: "diff", base, head, how, changedPaths, warnings };
}

function all(warning: string): BaseResolution {
  return { kind: "all", warning };
}

function short(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha;
}
