import { describe, expect, it } from "vitest";
import { checkCommits, planTrigger, resolveTrigger, type TriggerPorts } from "../../../ci/src/flow/triggers";
import { parseConfig } from "../../../ci/src/plan/config/parse";
import { BadCommitsError } from "../../../ci/src/plan/triggers/commits";
import type { Git } from "../../../ci/src/plan/triggers/diffBase";

const SHA: Record<string, string> = {
  HEAD: "b".repeat(40),
  "HEAD~1": "a".repeat(40),
  "origin/develop": "c".repeat(40),
};

/** A repository of canned answers: known revs, a linear history, the changed paths, the commits; records argv. */
function fakeGit(changed: string[], log = ""): Git & { calls: string[][] } {
  const calls: string[][] = [];
  const git = async (args: string[]) => {
    calls.push(args);
    const ok = (stdout = "") => ({ code: 0, stdout, stderr: "" });
    if (args[0] === "rev-parse" && args[1] === "--verify") {
      const rev = args[3].replace("^{commit}", "");
      const sha = SHA[rev] ?? Object.values(SHA).find((s) => s === rev);
      return sha ? ok(`${sha}\n`) : { code: 1, stdout: "", stderr: "" };
    }
    if (args[0] === "diff") return ok(changed.map((p) => `${p}\0`).join(""));
    if (args[0] === "log") return ok(log);
    return ok(args.includes("--is-shallow-repository") ? "false\n" : "");
  };
  return Object.assign(git, { calls });
}

function ports(
  git: Git,
  payload?: { text: string; name: string },
  appPath = "app",
): TriggerPorts & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    git,
    eventPayload: async () => (asked.push("eventPayload"), payload),
    appPath: async () => (asked.push("appPath"), appPath),
  };
}

const diffedRevs = (git: { calls: string[][] }) => git.calls.find((a) => a[0] === "diff")?.slice(-2);

describe("resolveTrigger", () => {
  it("diffs nothing, and runs no git, when neither an event file nor base/head was given", async () => {
    const git = fakeGit([]);
    expect(await resolveTrigger({ event: "push", branch: "develop" }, ports(git))).toEqual({
      event: "push",
      branch: "develop",
      prefix: "app",
    });
    expect(git.calls).toEqual([]);
  });

  it("names a pull request typed by hand (no event file) by its head commit, which its caches are keyed by", async () => {
    const git = fakeGit([]);
    expect((await resolveTrigger({ event: "pull_request" }, ports(git))).headCommit).toBe(SHA.HEAD);
    expect((await resolveTrigger({ event: "pull_request", head: "HEAD~1" }, ports(git))).headCommit).toBe(
      SHA["HEAD~1"],
    );
    expect((await resolveTrigger({ event: "push" }, ports(fakeGit([])))).headCommit).toBeUndefined();
    const noRepo: Git = async () => ({ code: 128, stdout: "", stderr: "fatal: not a git repository" });
    expect((await resolveTrigger({ event: "pull_request" }, ports(noRepo))).headCommit).toBeUndefined();
  });

  it("diffs from HEAD~1 when only --head is given, and up to HEAD when only --base is", async () => {
    const onlyHead = fakeGit(["app/backend/x.py"]);
    const t = await resolveTrigger({ head: "HEAD" }, ports(onlyHead));
    expect(diffedRevs(onlyHead)).toEqual([SHA["HEAD~1"], SHA.HEAD]);
    expect(t.resolution).toMatchObject({ kind: "diff", changedPaths: ["app/backend/x.py"], how: "given base" });
    const onlyBase = fakeGit([]);
    await resolveTrigger({ base: "HEAD~1" }, ports(onlyBase));
    expect(diffedRevs(onlyBase)).toEqual([SHA["HEAD~1"], SHA.HEAD]);
  });

  it("takes event, branch and diff from the payload, an explicit --branch winning over the payload's", async () => {
    const push = { ref: "refs/heads/develop", before: SHA["HEAD~1"], after: SHA.HEAD, repository: {} };
    const payload = { text: JSON.stringify(push), name: "event.json" };
    const git = fakeGit(["app/frontend/a.ts"]);
    const t = await resolveTrigger({}, ports(git, payload));
    expect([t.event, t.branch, t.resolution?.kind]).toEqual(["push", "develop", "diff"]);
    expect((await resolveTrigger({ branch: "feature/x" }, ports(fakeGit([]), payload))).branch).toBe("feature/x");
  });
});

describe("planTrigger", () => {
  it("plans from the resolved diff relative to the app's path", async () => {
    const plan = await planTrigger(
      { event: "push", branch: "develop", base: "HEAD~1", head: "HEAD" },
      parseConfig(undefined),
      ports(fakeGit(["app/backend/app/main.py"])),
    );
    expect(plan.skipped).toEqual([expect.objectContaining({ job: "frontend" })]);
  });

  it("takes changed paths given by hand over any diff", async () => {
    const plan = await planTrigger(
      { event: "push", branch: "develop", changedPaths: ["app/frontend/page.tsx"] },
      parseConfig(undefined),
      ports(fakeGit([])),
    );
    expect(plan.skipped).toEqual([expect.objectContaining({ job: "backend" })]);
  });
});

describe("checkCommits", () => {
  it("reports the count when every subject follows the convention", async () => {
    const git = fakeGit([], `${SHA.HEAD}\x1ffeat: one\n`);
    expect(await checkCommits("origin/develop", "HEAD", git)).toMatch(/1 commit\(s\) checked, all follow/);
  });

  it("throws BadCommitsError listing the offenders", async () => {
    const git = fakeGit([], `${SHA.HEAD}\x1fUpdate things\n`);
    await expect(checkCommits("origin/develop", "HEAD", git)).rejects.toThrow(BadCommitsError);
  });
});
