import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { ConfigError } from "../../../../ci/src/plan/config/error";
import { InputError } from "../../../../ci/src/plan/errors";
import { formatCriticalPath, planCriticalPath } from "../../../../ci/src/plan/fastTests/criticalPath";
import { planFrontendJob } from "../../../../ci/src/plan/fastTests/frontend";
import {
  chainParent,
  checkStepGraph,
  simulateSchedule,
  stepGraph,
  stepsToStart,
  type StepNode,
  type StepTiming,
} from "../../../../ci/src/plan/fastTests/graph";

const node = (name: string, after: string[] = [], cores = 1): StepNode => ({ name, after, cores });

/** The most cores busy at any instant of a schedule. */
function peakCores(nodes: StepNode[], timings: StepTiming[], machine: number): number {
  const cores = (n: string) => Math.min(nodes.find((x) => x.name === n)?.cores ?? 1, machine);
  return Math.max(
    ...timings.map((t) =>
      timings.filter((o) => o.start <= t.start && o.end > t.start).reduce((s, o) => s + cores(o.name), 0),
    ),
  );
}

describe("stepGraph", () => {
  it("puts install first and every check after it, independent of each other", () => {
    const nodes = stepGraph(planFrontendJob(parseConfig(undefined)));
    expect(nodes.map((n) => [n.name, n.after])).toEqual([
      ["install", []],
      ["lint", ["install"]],
      ["typecheck", ["install"]],
      ["unit", ["install"]],
      ["build", ["install"]],
    ]);
  });

  it("adds the waits and cores pipeline.yaml declares", () => {
    const c = parseConfig("frontend:\n  after: { build: [lint] }\n  cores: { unit: 2 }\n");
    const nodes = stepGraph(planFrontendJob(c));
    expect(nodes.find((n) => n.name === "build")?.after).toEqual(["install", "lint"]);
    expect(nodes.find((n) => n.name === "unit")?.cores).toBe(2);
    expect(nodes.find((n) => n.name === "lint")?.cores).toBe(1);
  });
});

describe("checkStepGraph through pipeline.yaml", () => {
  it("refuses an after that names no step, saying which steps exist", () => {
    const parse = () => parseConfig("frontend:\n  after: { build: [lnt] }\n");
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(/frontend\.after\.build.*"lnt", which is not a step.*lint, typecheck, unit/);
  });

  it("refuses a cycle, naming it and the wait to remove", () => {
    const parse = () => parseConfig("frontend:\n  after: { lint: [build], build: [unit], unit: [lint] }\n");
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/has a cycle: lint → build → unit → lint.*remove one/);
  });

  it("refuses a step waiting for itself, and cores for a step that does not exist", () => {
    expect(() => parseConfig("frontend:\n  after: { lint: [lint] }\n")).toThrow(/waits for itself/);
    expect(() => parseConfig("frontend:\n  cores: { unti: 2 }\n")).toThrow(/frontend\.cores\.unti.*names no step/);
  });

  it("refuses cores out of bounds", () => {
    expect(() => parseConfig("frontend:\n  cores: { unit: 0 }\n")).toThrow(InputError);
    expect(() => parseConfig("frontend:\n  cores: { unit: 2.5 }\n")).toThrow(InputError);
  });

  it("accepts an acyclic graph", () => {
    expect(() => checkStepGraph([node("a"), node("b", ["a"]), node("c", ["a", "b"])], "f", "k")).not.toThrow();
  });
});

describe("stepsToStart", () => {
  const nodes = [node("install"), node("lint", ["install"]), node("unit", ["install"], 2), node("build", ["install"])];

  it("starts nothing but install until it ends", () => {
    expect(stepsToStart(nodes, { done: new Set(), running: [] }, 2).map((n) => n.name)).toEqual(["install"]);
    expect(stepsToStart(nodes, { done: new Set(), running: ["install"] }, 2)).toEqual([]);
  });

  it("fills the free cores in declared order, skipping a step too wide for what is free", () => {
    const done = new Set(["install"]);
    expect(stepsToStart(nodes, { done, running: [] }, 2).map((n) => n.name)).toEqual(["lint", "build"]);
    expect(stepsToStart(nodes, { done, running: ["lint"] }, 2).map((n) => n.name)).toEqual(["build"]);
    expect(stepsToStart(nodes, { done, running: [] }, 4).map((n) => n.name)).toEqual(["lint", "unit", "build"]);
  });

  it("gives a step wider than the machine all of it, alone", () => {
    const wide = [node("install"), node("unit", ["install"], 8)];
    expect(stepsToStart(wide, { done: new Set(["install"]), running: [] }, 2).map((n) => n.name)).toEqual(["unit"]);
  });
});

describe("simulateSchedule", () => {
  const nodes = [
    node("install"),
    node("lint", ["install"]),
    node("typecheck", ["install"]),
    node("unit", ["install"], 2),
    node("build", ["install", "lint"]),
  ];
  const durations = { install: 10, lint: 5, typecheck: 6, unit: 20, build: 8 };

  it("never runs more cores than the machine has", () => {
    for (const machine of [1, 2, 3, 4]) {
      const t = simulateSchedule(nodes, durations, machine);
      expect(t).toHaveLength(nodes.length);
      expect(peakCores(nodes, t, machine)).toBeLessThanOrEqual(machine);
    }
  });

  it("keeps every wait: nothing starts before what it is after has ended", () => {
    const t = simulateSchedule(nodes, durations, 2);
    const at = (n: string) => t.find((x) => x.name === n) as StepTiming;
    for (const n of nodes) for (const a of n.after) expect(at(n.name).start).toBeGreaterThanOrEqual(at(a).end);
  });

  it("runs independent steps beside each other when cores allow", () => {
    const t = simulateSchedule(nodes, durations, 4);
    const at = (n: string) => t.find((x) => x.name === n) as StepTiming;
    expect(at("lint").start).toBe(10);
    expect(at("typecheck").start).toBe(10);
    expect(at("unit").start).toBe(10);
    expect(Math.max(...t.map((x) => x.end))).toBe(30);
  });

  it("is sequential on one core", () => {
    const t = simulateSchedule(nodes, durations, 1);
    expect(Math.max(...t.map((x) => x.end))).toBe(49);
  });
});

/**
 * Why a test runner waits for all the cores rather than starting on the one that is free: the frontend of the
 * 2026-12-05 P10 run (docs/performance.md), replayed. Its summary said "install 52.5s → lint 17.5s → build 9.8s →
 * unit 67.3s = 147.0s"; typecheck ended between lint's end and build's (it is not on the path), taken as 22 s here.
 * jest with one worker took 95.9 s in the same run's seed-style job. Its workers are fixed when it starts.
 */
describe("simulateSchedule on the P10 run's measured step times", () => {
  const measured = { install: 52.5, lint: 17.5, typecheck: 22, unit: 67.3, build: 9.8 };
  const frontend = (unitCores: number) => [
    node("install"),
    node("lint", ["install"]),
    node("typecheck", ["install"]),
    node("unit", ["install"], unitCores),
    node("build", ["install"]),
  ];
  const end = (t: StepTiming[]) => Math.max(...t.map((x) => x.end));

  it("replays the run: the same critical path and length", () => {
    const t = simulateSchedule(frontend(Number.POSITIVE_INFINITY), measured, 2);
    expect(formatCriticalPath(planCriticalPath(t))).toBe(
      "critical path: install 52.5s → lint 17.5s → build 9.8s → unit 67.3s = 147.1s",
    );
  });

  it("would end 19 s later if jest started on the first free core with one worker", () => {
    const t = simulateSchedule(frontend(1), { ...measured, unit: 95.9 }, 2);
    expect(end(t) - end(simulateSchedule(frontend(Number.POSITIVE_INFINITY), measured, 2))).toBeCloseTo(18.8, 1);
  });

  it("would end no sooner if jest went first with both cores: the one-core checks then fill the same time after it", () => {
    const first = [frontend(2)[0], frontend(2)[3], frontend(2)[1], frontend(2)[2], frontend(2)[4]];
    expect(end(simulateSchedule(first, measured, 2))).toBeCloseTo(147.1, 1);
  });
});

describe("chainParent", () => {
  it("continues install steps from each other, and each check from the installed source", () => {
    const nodes = stepGraph(planFrontendJob(parseConfig(undefined)));
    expect(nodes.map((n) => chainParent(nodes, 1, n.name))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const two = [node("venv"), node("install", ["venv"]), node("pytest", ["install"])];
    expect(two.map((n) => chainParent(two, 2, n.name))).toEqual([undefined, "venv", undefined]);
  });

  it("continues a check from the last step it declares after:, so it sees that step's files", () => {
    const c = parseConfig("frontend:\n  after: { build: [lint, unit] }\n");
    const nodes = stepGraph(planFrontendJob(c));
    expect(chainParent(nodes, 1, "build")).toBe("unit");
    expect(chainParent(nodes, 1, "lint")).toBeUndefined();
  });

  it("refuses a name the graph does not have", () => {
    expect(() => chainParent([node("install")], 1, "lint")).toThrow("no step lint in the graph");
  });
});
