import { describe, expect, it } from "vitest";
import {
  BRANCH_RULES,
  branchMatches,
  EVENTS,
  findDispatch,
  findRule,
  parseEvent,
  UnknownEventError,
} from "../../../../ci/src/plan/triggers/rules";

describe("branchMatches", () => {
  it("matches a prefix pattern only with something after the slash", () => {
    expect(branchMatches("feature/*", "feature/login")).toBe(true);
    expect(branchMatches("feature/*", "feature/")).toBe(false);
    expect(branchMatches("feature/*", "features/x")).toBe(false);
  });

  it("matches exact names exactly and * everything", () => {
    expect(branchMatches("develop", "develop")).toBe(true);
    expect(branchMatches("develop", "develop2")).toBe(false);
    expect(branchMatches("*", "anything/at/all")).toBe(true);
  });
});

describe("findRule", () => {
  const stages = (event: Parameters<typeof findRule>[0], branch: string) =>
    findRule(event, branch)?.stages.map((s) => s.stage);

  it("runs only fast-tests for a feature pull request", () => {
    expect(stages("pull_request", "feature/login")).toEqual(["fast-tests"]);
  });

  it("runs fast-tests, then deploy-staging, then the informational smoke E2E on a develop push", () => {
    const rule = findRule("push", "develop")!;
    expect(rule.stages.map((s) => s.stage)).toEqual(["fast-tests", "deploy-staging", "e2e"]);
    expect(rule.stages[1]).toMatchObject({ trigger: "automatic", blockedBy: ["fast-tests"] });
    expect(rule.stages[2]).toMatchObject({ blockedBy: ["deploy-staging"], informational: true, suite: "smoke" });
  });

  it("makes production a manual promotion after green E2E on a main push", () => {
    const prod = findRule("push", "main")!.stages.find((s) => s.stage === "deploy-production")!;
    expect(prod.trigger).toBe("manual");
    expect(prod.requires).toMatch(/green E2E/);
  });

  it("runs fast-tests for a hotfix pull request and push", () => {
    expect(stages("pull_request", "hotfix/urgent")).toEqual(["fast-tests"]);
    expect(stages("push", "hotfix/urgent")).toEqual(["fast-tests"]);
  });

  it("runs only the isolated experimental template on ci-experimental branches", () => {
    const rule = findRule("push", "ci-experimental/new-cache")!;
    expect(rule.stages.map((s) => s.stage)).toEqual(["experimental"]);
    expect(rule.isolated).toBe(true);
    expect(stages("pull_request", "ci-experimental/new-cache")).toEqual(["experimental"]);
  });

  it("runs the full E2E suite on the nightly schedule", () => {
    expect(findRule("schedule", "main")!.stages).toMatchObject([{ stage: "e2e", suite: "full" }]);
  });

  it("finds no row for a push to a feature branch", () => {
    expect(findRule("push", "feature/login")).toBeUndefined();
  });

  it("only ever names known stages as blockers", () => {
    for (const rule of BRANCH_RULES) {
      const names = rule.stages.map((s) => s.stage);
      for (const s of rule.stages) for (const b of s.blockedBy) expect(names).toContain(b);
    }
  });
});

describe("findDispatch", () => {
  it("allows production promotion from main only", () => {
    expect(findDispatch("deploy-production", "main")?.rule.trigger).toBe("manual");
    expect(findDispatch("deploy-production", "develop")).toBeUndefined();
  });
});

describe("parseEvent", () => {
  it("accepts every known event", () => {
    for (const e of EVENTS) expect(parseEvent(e)).toBe(e);
  });

  it("rejects an unknown event and lists the valid ones", () => {
    expect(() => parseEvent("pull-request")).toThrow(UnknownEventError);
    expect(() => parseEvent("pull-request")).toThrow(
      /one of: pull_request, push, workflow_run, workflow_dispatch, schedule/,
    );
  });
});
