import { describe, expect, it } from "vitest";
import { cacheScopeOf, scopeJob, scopesToPrune, SHARED_SCOPE } from "../../../../ci/src/plan/triggers/cacheScope";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { planFastTests } from "../../../../ci/src/plan/fastTests/stage";

describe("cacheScopeOf", () => {
  it.each(["push", "schedule", "workflow_dispatch", "workflow_run", undefined])(
    "shares the caches for %s: code already in the repository",
    (event) => {
      expect(cacheScopeOf({ event, pullRequest: 7, branch: "x" })).toEqual(SHARED_SCOPE);
    },
  );

  it("gives a pull request caches of its own, by number, else by its branch made safe as a key", () => {
    expect(cacheScopeOf({ event: "pull_request", pullRequest: 17, branch: "feat/x" })).toEqual({
      name: "pr-17",
      trusted: false,
    });
    expect(cacheScopeOf({ event: "pull_request", branch: "Feat/../X y$(z)" }).name).toMatch(
      /^pr-feat-x-y-z-[0-9a-f]{8}$/,
    );
    expect(cacheScopeOf({ event: "pull_request", branch: "---" }).name).toMatch(/^pr-branch-[0-9a-f]{8}$/);
    // FNV-1a's published value for "a".
    expect(cacheScopeOf({ event: "pull_request", branch: "a" }).name).toBe("pr-a-e40c292c");
    expect(cacheScopeOf({ event: "pull_request", pullRequest: -1 }).name).toBe("pr");
    expect(cacheScopeOf({ event: "pull_request", headCommit: "ab".repeat(20) }).name).toBe(
      `pr-commit-${"ab".repeat(20)}`,
    );
    expect(cacheScopeOf({ event: "pull_request", branch: "b".repeat(300) }).name).toHaveLength(72);
  });

  /**
   * The ninth session's hostile run: `--event pull_request --branch 17` (no event file) ran in pull request 17's
   * caches, and two forks' `patch-1` (or `feat/x` and `feat-x`) shared theirs: one pull request wrote what the
   * other's next run installed.
   */
  it("never gives a branch's scope to a numbered pull request, nor one branch's to another made alike", () => {
    const byBranch = (branch: string) => cacheScopeOf({ event: "pull_request", branch }).name;
    expect(byBranch("17")).not.toBe(cacheScopeOf({ event: "pull_request", pullRequest: 17 }).name);
    expect(byBranch("")).not.toMatch(/^pr-\d+$/);
    expect(byBranch("日本")).not.toMatch(/^pr-\d+$/);
    expect(new Set(["feat/x", "feat-x", "Feat_X", "feat..x"].map(byBranch)).size).toBe(4);
    expect(byBranch("a".repeat(60) + "1")).not.toBe(byBranch("a".repeat(60) + "2"));
    for (const b of ["17", "feat/x", "日本", "-", "a".repeat(300)]) expect(byBranch(b)).toMatch(/^pr(-[a-z0-9-]+)?$/);
  });
});

/**
 * The fourteenth hostile run: `--event pull_request` typed by hand (no event file, so no number and no branch) gave
 * every such run one scope, `pr`: one pull request's code planted what the next one's hand run installed.
 */
describe("cacheScopeOf: a pull request typed by hand is known by its head commit", () => {
  const byCommit = (headCommit: string) => cacheScopeOf({ event: "pull_request", headCommit }).name;

  it("gives two head commits two scopes, and never a numbered or a branch's scope", () => {
    const [a, b] = ["a".repeat(40), "b".repeat(40)];
    expect(byCommit(a)).not.toBe(byCommit(b));
    expect(byCommit(a)).toBe(byCommit(a));
    expect(byCommit("1".repeat(40))).not.toMatch(/^pr-\d+$/);
    expect(byCommit(a)).not.toBe(cacheScopeOf({ event: "pull_request", branch: "commit" }).name);
  });

  it("takes the event file's number or branch first, and only a full sha", () => {
    expect(cacheScopeOf({ event: "pull_request", pullRequest: 3, headCommit: "a".repeat(40) }).name).toBe("pr-3");
    expect(cacheScopeOf({ event: "pull_request", headCommit: "../x" }).name).toBe("pr");
  });
});

describe("scopeJob", () => {
  const job = planFastTests(parseConfig(undefined)).jobs[0];

  it("leaves a shared-scope job as planned", () => {
    expect(scopeJob(job, SHARED_SCOPE)).toBe(job);
  });

  it("keys every cache of a pull request's job by its scope and marks the job", () => {
    const scoped = scopeJob(job, { name: "pr-17", trusted: false });
    expect(job.caches.length).toBeGreaterThan(0);
    expect(scoped.scope).toBe("pr-17");
    expect(scoped.caches.map((m) => m.key)).toEqual(job.caches.map((m) => `${m.key}-pr-17`));
    expect(scoped.caches.map((m) => m.path)).toEqual(job.caches.map((m) => m.path));
    expect(job.scope).toBeUndefined();
  });
});

describe("scopesToPrune", () => {
  it("keeps the most recently used, deleting the rest", () => {
    const scopes = [1, 5, 3, 4, 2].map((t) => ({ name: `pr-${t}`, usedAt: t }));
    expect(scopesToPrune(scopes, 3).sort()).toEqual(["pr-1", "pr-2"]);
    expect(scopesToPrune(scopes, 10)).toEqual([]);
  });
});
