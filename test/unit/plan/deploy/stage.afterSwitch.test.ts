import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { planDeploy } from "../../../../ci/src/plan/deploy/stage";

const target = { name: "staging", host: "127.0.0.1", port: 22, user: "deploy", basePath: "/srv/app" };

describe("pipeline.yaml deploy.watch, deploy.strategy, deploy.canary and deploy.migrate", () => {
  it("defaults to the R-watch thresholds, a 60 s window, blue/green, canary steps 5, 25, 50, 100 and no migration", () => {
    const d = parseConfig(undefined).deploy;
    expect(d.watch).toEqual({
      windowSeconds: 60,
      errorRatePercent: 5,
      minRequests: 20,
      p95RollbackSeconds: 5,
      p95AlertSeconds: 2,
    });
    expect(d.strategy).toBe("bluegreen");
    expect(d.canary.steps).toEqual([5, 25, 50, 100]);
    expect(d.migrate).toBe("");
  });

  it("merges overrides", () => {
    const d = parseConfig(
      'deploy:\n  strategy: canary\n  watch: { windowSeconds: 8, minRequests: 10 }\n  canary: { steps: [10, 100] }\n  migrate: "uv run python -m app.migrate"\n',
    ).deploy;
    expect(d.watch).toMatchObject({ windowSeconds: 8, minRequests: 10, errorRatePercent: 5 });
    expect(d).toMatchObject({
      strategy: "canary",
      canary: { steps: [10, 100] },
      migrate: "uv run python -m app.migrate",
    });
  });

  it("rejects a strategy, canary steps or thresholds that cannot work, naming the key and the fix", () => {
    expect(() => parseConfig("deploy:\n  strategy: rolling\n")).toThrow(
      /`deploy.strategy` is "rolling".*bluegreen or canary/,
    );
    expect(() => parseConfig("deploy:\n  canary: { steps: [50, 25, 100] }\n")).toThrow(/`deploy.canary.steps`.*rising/);
    expect(() => parseConfig("deploy:\n  canary: { steps: [5, 50] }\n")).toThrow(/ending at 100/);
    expect(() => parseConfig("deploy:\n  canary: { steps: [a] }\n")).toThrow(
      /`deploy.canary.steps\[0\]` must be a number/,
    );
    expect(() => parseConfig("deploy:\n  watch: { p95AlertSeconds: 9 }\n")).toThrow(/p95AlertSeconds.*above/);
    expect(() => parseConfig("deploy:\n  watch: { minRequests: 0 }\n")).toThrow(/minRequests/);
  });
});

describe("planDeploy afterSwitch", () => {
  it("carries the watch policy, strategy, steps and migration into the plan", () => {
    const p = planDeploy({
      target,
      commit: "3520442",
      now: new Date(),
      afterSwitch: { strategy: "canary", canarySteps: [20, 100] },
    });
    expect(p.afterSwitch).toMatchObject({ strategy: "canary", canarySteps: [20, 100], migrate: "" });
    expect(p.afterSwitch.watch.windowSeconds).toBe(60);
  });
});
