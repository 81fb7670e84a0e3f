import { describe, expect, it } from "vitest";
import { UnknownEventError } from "../../../../ci/src/plan/triggers/rules";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { formatPlan, planPipeline, PlanInputError } from "../../../../ci/src/plan/triggers/pipeline";

const config = parseConfig(undefined);
const plan = (input: Parameters<typeof planPipeline>[0]) => planPipeline(input, config);
const running = (p: ReturnType<typeof plan>) =>
  p.stages.map(
    (s) =>
      `${s.name}:${s.jobs
        .filter((j) => j.run)
        .map((j) => j.name)
        .join("+")}`,
  );

describe("planPipeline: the R-triggers rows", () => {
  it("feature/* pull request: fast-tests only", () => {
    const p = plan({ event: "pull_request", branch: "feature/login" });
    expect(p.rule).toBe("feature/*/pull_request");
    expect(running(p)).toEqual(["fast-tests:frontend+backend"]);
  });

  it("develop push: fast-tests blocks deploy-staging, which blocks the informational smoke E2E", () => {
    const p = plan({ event: "push", branch: "develop", changedPaths: ["backend/app/main.py"] });
    expect(p.stages.map((s) => [s.name, s.blockedBy, s.blocks])).toEqual([
      ["fast-tests", [], ["deploy-staging"]],
      ["deploy-staging", ["fast-tests"], ["e2e"]],
      ["e2e", ["deploy-staging"], []],
    ]);
    expect(p.stages[2]).toMatchObject({ informational: true, suite: "smoke" });
    expect(running(p)[0]).toBe("fast-tests:backend");
  });

  it("develop workflow_run: deploy-staging then smoke E2E, without fast-tests", () => {
    expect(plan({ event: "workflow_run", branch: "develop" }).stages.map((s) => s.name)).toEqual([
      "deploy-staging",
      "e2e",
    ]);
  });

  it("main push: fast-tests, and production as a manual step requiring green E2E", () => {
    const p = plan({ event: "push", branch: "main" });
    expect(p.stages.map((s) => [s.name, s.trigger])).toEqual([
      ["fast-tests", "automatic"],
      ["deploy-production", "manual"],
    ]);
    expect(p.stages[1].requires).toMatch(/green E2E on this commit/);
  });

  it("main workflow_dispatch of deploy-production: the requested stage alone", () => {
    const p = plan({ event: "workflow_dispatch", branch: "main", stage: "deploy-production" });
    expect(p.stages.map((s) => s.name)).toEqual(["deploy-production"]);
  });

  it("hotfix/* pull request and push: fast-tests", () => {
    expect(running(plan({ event: "pull_request", branch: "hotfix/x" }))).toEqual(["fast-tests:frontend+backend"]);
    expect(running(plan({ event: "push", branch: "hotfix/x" }))).toEqual(["fast-tests:frontend+backend"]);
  });

  it("ci-experimental/*: the isolated experimental template only", () => {
    const p = plan({ event: "push", branch: "ci-experimental/try" });
    expect(p.isolated).toBe(true);
    expect(p.stages.map((s) => s.name)).toEqual(["experimental"]);
  });

  it("schedule: the nightly full E2E suite, never path-filtered", () => {
    const p = plan({ event: "schedule", branch: "main", changedPaths: [] });
    expect(p.stages).toMatchObject([{ name: "e2e", suite: "full" }]);
    expect(p.skipped).toEqual([]);
  });

  it("a push to a feature branch runs nothing, and says on what the branch runs", () => {
    const p = plan({ event: "push", branch: "feature/login" });
    expect(p.stages).toEqual([]);
    expect(p.description).toMatch(/nothing runs for push on feature\/login; feature\/login runs on: pull_request/);
  });
});

describe("planPipeline: path filtering", () => {
  it("lists skipped jobs with their reasons", () => {
    const p = plan({ event: "pull_request", branch: "feature/x", changedPaths: ["frontend/src/a.ts"] });
    expect(p.skipped).toEqual([
      { stage: "fast-tests", job: "backend", reason: expect.stringMatching(/no change under backend\//) },
    ]);
  });

  it("uses the resolved diff and reports its base and head", () => {
    const p = plan({
      event: "push",
      branch: "develop",
      baseResolution: {
        kind: "diff",
        base: "a".repeat(40),
        head: "b".repeat(40),
        how: "push: the before commit",
        changedPaths: ["README.md"],
        warnings: [],
      },
    });
    expect(p.diff?.how).toBe("push: the before commit");
    expect(p.skipped.map((s) => s.job)).toEqual(["frontend", "backend"]);
  });

  it("runs everything and carries the warning when the base could not be resolved", () => {
    const p = plan({
      event: "push",
      branch: "develop",
      baseResolution: {
        kind: "all",
        warning: "first push of this branch and no default branch known: running every job",
      },
    });
    expect(p.skipped).toEqual([]);
    expect(p.warnings).toEqual(["first push of this branch and no default branch known: running every job"]);
  });

  it("warns that every job runs when no changed paths are known", () => {
    expect(plan({ event: "push", branch: "develop" }).warnings).toEqual([
      expect.stringMatching(/unknown.*running every job/),
    ]);
  });
});

describe("planPipeline: bad input", () => {
  it("rejects an unknown event, listing the valid ones", () => {
    expect(() => plan({ event: "merge", branch: "develop" })).toThrow(UnknownEventError);
  });

  it("asks for --stage on workflow_dispatch", () => {
    expect(() => plan({ event: "workflow_dispatch", branch: "main" })).toThrow(PlanInputError);
    expect(() => plan({ event: "workflow_dispatch", branch: "main" })).toThrow(
      /pass --stage one of: deploy-production \(on main\)/,
    );
  });

  it("refuses a production dispatch from develop", () => {
    expect(() => plan({ event: "workflow_dispatch", branch: "develop", stage: "deploy-production" })).toThrow(
      /cannot be dispatched on develop/,
    );
  });

  it("requires a branch", () => {
    expect(() => plan({ event: "push", branch: "" })).toThrow(/pass --branch/);
  });
});

describe("formatPlan", () => {
  it("prints each stage with its blockers and each job with run or skip and why", () => {
    const text = formatPlan(plan({ event: "push", branch: "develop", changedPaths: ["backend/app/main.py"] }));
    expect(text).toContain("plan: push on develop (rule develop/push)");
    expect(text).toMatch(/2\. deploy-staging: automatic; blocked by fast-tests; blocks e2e/);
    expect(text).toMatch(/3\. e2e \(smoke suite\): automatic; blocked by deploy-staging; informational/);
    expect(text).toMatch(/skip {2}frontend +no change under frontend\//);
    expect(text).toMatch(/run {3}backend +1 changed path\(s\) under backend\//);
  });

  it("prints the dagger call that runs each stage, by the CLI's function names", () => {
    const text = formatPlan(plan({ event: "push", branch: "develop", changedPaths: ["backend/app/main.py"] }));
    expect(text).toContain("     call  dagger call fast-tests --event-file $GITHUB_EVENT_PATH");
    expect(text).toMatch(/ {5}call {2}dagger call deploy-staging --host HOST .* --public-url API_URL\n/);
    expect(text).toContain(
      "     call  dagger call end-to-end --shards 4 --suite smoke --base-url URL --api-url URL export",
    );
  });

  it("round-trips as JSON data", () => {
    const p = plan({ event: "pull_request", branch: "feature/x", changedPaths: [] });
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });
});
