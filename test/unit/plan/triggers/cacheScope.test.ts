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
    expect(cacheScopeOf({ event: "pull_request", branch: "Feat/../X y$(z)" }).name).toBe("pr-feat-x-y-z");
    expect(cacheScopeOf({ event: "pull_request", branch: "---" }).name).toBe("pr");
    expect(cacheScopeOf({ event: "pull_request", pullRequest: -1 }).name).toBe("pr");
    expect(cacheScopeOf({ event: "pull_request", branch: "b".repeat(300) }).name).toHaveLength(63);
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
