import { describe, expect, it } from "vitest";
import { stepGraphFlow } from "../../../ci/src/flow/stepGraph";
import type { StepNode } from "../../../ci/src/plan/fastTests/graph";

const node = (name: string, after: string[] = [], cores = 1): StepNode => ({ name, after, cores });
const nodes = [node("install"), node("lint", ["install"]), node("unit", ["install"]), node("build", ["lint"])];

/** Steps that each take `ms` on the real clock and record how many ran at once, and in which order they started. */
function recorder(ms: number, fail: string[] = []) {
  const rec = { started: [] as string[], running: 0, peak: 0 };
  const runStep = async (name: string) => {
    rec.started.push(name);
    rec.peak = Math.max(rec.peak, ++rec.running);
    await new Promise((r) => setTimeout(r, ms));
    rec.running--;
    return !fail.includes(name);
  };
  return { rec, runStep };
}

describe("stepGraphFlow", () => {
  it("runs independent steps side by side, up to the cores", async () => {
    const { rec, runStep } = recorder(50);
    const run = await stepGraphFlow(nodes, 2, runStep, () => Date.now());
    expect(rec.peak).toBe(2);
    expect(run.failed).toBeUndefined();
    const at = (n: string) => run.timings.find((t) => t.name === n);
    expect(Math.abs((at("lint")?.start ?? 0) - (at("unit")?.start ?? 9))).toBeLessThan(0.04);
    expect(at("build")?.start).toBeGreaterThanOrEqual(at("lint")?.end ?? Infinity);
  });

  it("runs one at a time on one core", async () => {
    const { rec, runStep } = recorder(10);
    const run = await stepGraphFlow(nodes, 1, runStep, () => Date.now());
    expect(rec.peak).toBe(1);
    expect(run.timings).toHaveLength(4);
  });

  it("starts nothing new after a failure, and names the step that failed", async () => {
    const { rec, runStep } = recorder(10, ["lint"]);
    const run = await stepGraphFlow(nodes, 2, runStep, () => Date.now());
    expect(run.failed).toBe("lint");
    expect(rec.started).toEqual(["install", "lint", "unit"]);
  });

  it("starts nothing after install fails", async () => {
    const { rec, runStep } = recorder(5, ["install"]);
    expect((await stepGraphFlow(nodes, 4, runStep, () => Date.now())).failed).toBe("install");
    expect(rec.started).toEqual(["install"]);
  });
});
