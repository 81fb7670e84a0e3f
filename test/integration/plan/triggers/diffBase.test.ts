import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MissingCommitError, resolveDiffBase } from "../../../../ci/src/plan/triggers/diffBase";
import { ZERO_SHA, type BaseResolution } from "../../../../ci/src/plan/triggers/diffRequest";
import { parseEventPayload } from "../../../../ci/src/plan/triggers/event";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { planPipeline } from "../../../../ci/src/plan/triggers/pipeline";
import { gitPort } from "../../../../scripts/host/git";

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@t",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@t",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};
const config = parseConfig(undefined);
let root: string;
let origin: string;
const sha: Record<string, string> = {};

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: ENV, encoding: "utf8" }).trim();
}

function commit(cwd: string, name: string, files: string[]): string {
  for (const f of files) {
    mkdirSync(dirname(join(cwd, f)), { recursive: true });
    writeFileSync(join(cwd, f), `${name}\n`);
  }
  git(cwd, "add", "-A");
  git(cwd, "commit", "-q", "-m", `feat: ${name}`);
  return (sha[name] = git(cwd, "rev-parse", "HEAD"));
}

/** A fresh full clone of origin (what actions/checkout gives with fetch-depth: 0). */
function clone(...flags: string[]): string {
  const dir = mkdtempSync(join(root, "clone-"));
  git(root, "clone", "-q", ...flags, `file://${origin}`, dir);
  return dir;
}

function ran(res: BaseResolution, event = "push", branch = "develop"): string[] {
  const p = planPipeline({ event, branch, baseResolution: res }, config);
  return p.stages[0].jobs.filter((j) => j.run).map((j) => j.name);
}

// History: main A ─ develop C (frontend); feature/api from A: B1, B2 (backend); old/rewrite: X (backend) force-pushed
// to Y (frontend).
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "diffbase-"));
  origin = join(root, "origin");
  mkdirSync(origin);
  git(origin, "init", "-q", "-b", "main");
  git(origin, "config", "uploadpack.allowAnySHA1InWant", "true");
  commit(origin, "A", ["frontend/a.ts", "backend/app/a.py", "README.md"]);
  git(origin, "checkout", "-q", "-b", "develop");
  commit(origin, "C", ["frontend/c.ts"]);
  git(origin, "checkout", "-q", "-b", "feature/api", sha.A);
  commit(origin, "B1", ["backend/app/b1.py"]);
  commit(origin, "B2", ["backend/app/b2.py"]);
  git(origin, "checkout", "-q", "-b", "rewrite", sha.A);
  commit(origin, "X", ["backend/app/x.py"]);
  git(origin, "reset", "-q", "--hard", sha.A);
  commit(origin, "Y", ["frontend/y.ts"]);
  git(origin, "checkout", "-q", "-b", "docs-only", sha.A);
  commit(origin, "D", ["docs/guide.md"]);
  git(origin, "checkout", "-q", "main");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("resolveDiffBase: pull_request", () => {
  it("diffs from the merge-base with the target, not the target's tip, so develop's own changes do not count", async () => {
    const dir = clone();
    const res = await resolveDiffBase(
      { kind: "pull_request", base: sha.C, baseRef: "develop", head: sha.B2 },
      gitPort(dir),
    );
    expect(res).toMatchObject({ kind: "diff", base: sha.A, head: sha.B2 });
    expect(res.kind === "diff" && res.changedPaths.sort()).toEqual(["backend/app/b1.py", "backend/app/b2.py"]);
    expect(ran(res, "pull_request", "feature/api")).toEqual(["backend"]);
  });
});

describe("resolveDiffBase: push", () => {
  it("diffs against the before commit, covering every pushed commit", async () => {
    const res = await resolveDiffBase({ kind: "push", before: sha.A, head: sha.B2 }, gitPort(clone()));
    expect(res).toMatchObject({ kind: "diff", base: sha.A, how: "push: the before commit" });
    expect(ran(res)).toEqual(["backend"]);
  });

  it("skips both jobs with a reason when only docs changed", async () => {
    const res = await resolveDiffBase({ kind: "push", before: sha.A, head: sha.D }, gitPort(clone()));
    const p = planPipeline({ event: "push", branch: "develop", baseResolution: res }, config);
    expect(p.skipped.map((s) => s.job)).toEqual(["frontend", "backend"]);
    expect(p.skipped[0].reason).toMatch(/docs\/guide.md/);
  });

  it("on a force push, diffs from the merge-base of the old and new heads and warns", async () => {
    const res = await resolveDiffBase({ kind: "push", before: sha.X, head: sha.Y }, gitPort(clone()));
    expect(res).toMatchObject({ kind: "diff", base: sha.A, head: sha.Y });
    expect(res.kind === "diff" && res.warnings[0]).toMatch(/force push: .* is not an ancestor/);
    expect(ran(res)).toEqual(["frontend"]);
  });

  it("on a branch's first push (before all zeros), diffs from the merge-base with the default branch", async () => {
    const res = await resolveDiffBase(
      { kind: "push", before: ZERO_SHA, head: sha.B2, defaultBranch: "main" },
      gitPort(clone()),
    );
    expect(res).toMatchObject({ kind: "diff", base: sha.A, how: "first push of this branch: merge-base with main" });
    expect(ran(res)).toEqual(["backend"]);
  });

  it("on a first push with no default branch known, runs everything with a warning", async () => {
    const res = await resolveDiffBase({ kind: "push", before: ZERO_SHA, head: sha.B2 }, gitPort(clone()));
    expect(res).toEqual({
      kind: "all",
      warning: expect.stringMatching(/first push of this branch and no default branch known/),
    });
    expect(ran(res)).toEqual(["frontend", "backend"]);
  });

  it("runs everything with a warning when the before commit exists nowhere", async () => {
    const res = await resolveDiffBase({ kind: "push", before: "1".repeat(40), head: sha.B2 }, gitPort(clone()));
    expect(res).toMatchObject({
      kind: "all",
      warning: expect.stringMatching(/before commit 1111111 cannot be fetched/),
    });
  });
});

describe("resolveDiffBase: shallow clone", () => {
  it("fetches the missing base and deepens until the merge-base is found", async () => {
    const dir = clone("--depth", "1", "--branch", "feature/api");
    expect(git(dir, "rev-parse", "--is-shallow-repository")).toBe("true");
    const res = await resolveDiffBase(
      { kind: "pull_request", base: sha.C, baseRef: "develop", head: sha.B2 },
      gitPort(dir),
    );
    expect(res).toMatchObject({ kind: "diff", base: sha.A, head: sha.B2 });
    expect(ran(res, "pull_request", "feature/api")).toEqual(["backend"]);
  });

  it("deepens a push's history to prove the before commit is an ancestor", async () => {
    const dir = clone("--depth", "1", "--branch", "feature/api");
    const res = await resolveDiffBase({ kind: "push", before: sha.A, head: sha.B2 }, gitPort(dir));
    expect(res).toMatchObject({ kind: "diff", base: sha.A, how: "push: the before commit" });
  });

  it("runs everything with a warning when the remote is gone and history cannot be deepened", async () => {
    const dir = clone("--depth", "1", "--branch", "feature/api");
    git(dir, "remote", "set-url", "origin", join(root, "nowhere"));
    const res = await resolveDiffBase(
      { kind: "pull_request", base: sha.C, baseRef: "develop", head: sha.B2 },
      gitPort(dir),
    );
    expect(res).toMatchObject({ kind: "all", warning: expect.stringMatching(/cannot be fetched: running every job/) });
  });
});

describe("resolveDiffBase: workflow_run", () => {
  it("uses the triggering run's head sha and its pull request's base", async () => {
    const payload = JSON.stringify({
      workflow_run: {
        head_sha: sha.B2,
        head_branch: "feature/api",
        event: "pull_request",
        pull_requests: [{ base: { sha: sha.C, ref: "develop" } }],
      },
      repository: { default_branch: "main" },
    });
    const ctx = parseEventPayload(payload);
    expect(ctx).toMatchObject({ event: "workflow_run", branch: "feature/api" });
    const res = await resolveDiffBase(ctx.request, gitPort(clone()));
    expect(res).toMatchObject({ kind: "diff", base: sha.A, head: sha.B2 });
  });

  it("diffs a run on a non-default branch against its merge-base with the default branch", async () => {
    const res = await resolveDiffBase(
      { kind: "workflow_run", head: sha.C, headBranch: "develop", defaultBranch: "main" },
      gitPort(clone()),
    );
    expect(res).toMatchObject({ kind: "diff", base: sha.A, head: sha.C });
    expect(res.kind === "diff" && res.changedPaths).toEqual(["frontend/c.ts"]);
  });

  it("runs everything with a warning for a run on the default branch, whose payload has no before", async () => {
    const res = await resolveDiffBase(
      { kind: "workflow_run", head: sha.A, headBranch: "main", defaultBranch: "main" },
      gitPort(clone()),
    );
    expect(res).toMatchObject({ kind: "all", warning: expect.stringMatching(/no before commit/) });
  });
});

describe("resolveDiffBase: event file and --base/--head", () => {
  it("reads a push payload end to end: only the backend job runs", async () => {
    const ctx = parseEventPayload(
      JSON.stringify({
        ref: "refs/heads/develop",
        before: sha.A,
        after: sha.B2,
        repository: { default_branch: "main" },
      }),
      "push",
    );
    const res = await resolveDiffBase(ctx.request, gitPort(clone()));
    expect(ran(res, ctx.event, ctx.branch)).toEqual(["backend"]);
  });

  it("diffs a given range", async () => {
    const res = await resolveDiffBase({ kind: "range", base: sha.B1, head: sha.B2 }, gitPort(clone()));
    expect(res.kind === "diff" && res.changedPaths).toEqual(["backend/app/b2.py"]);
  });

  it("rejects a base commit that does not exist, naming the fix", async () => {
    const p = resolveDiffBase({ kind: "range", base: "2".repeat(40), head: sha.B2 }, gitPort(clone()));
    await expect(p).rejects.toThrow(MissingCommitError);
    await expect(resolveDiffBase({ kind: "range", base: "nope", head: sha.B2 }, gitPort(clone()))).rejects.toThrow(
      /fetch-depth: 0/,
    );
  });

  it("rejects --base outside a git repository", async () => {
    await expect(
      resolveDiffBase({ kind: "range", base: "HEAD~1", head: "HEAD" }, gitPort(mkdtempSync(join(root, "plain-")))),
    ).rejects.toThrow(/no git repository here/);
  });
});
