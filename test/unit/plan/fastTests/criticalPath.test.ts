import { describe, expect, it } from "vitest";
import {
  formatCriticalPath,
  formatParallel,
  formatStepLines,
  parallelGroups,
  planCriticalPath,
} from "../../../../ci/src/plan/fastTests/criticalPath";

const timings = [
  { name: "install", start: 0, end: 12.1 },
  { name: "lint", start: 12.1, end: 20 },
  { name: "unit", start: 12.2, end: 42.4 },
  { name: "typecheck", start: 20.1, end: 30 },
];

describe("planCriticalPath", () => {
  it("walks back from the last end through what each step waited on", () => {
    const p = planCriticalPath(timings);
    expect(p.steps.map((s) => s.name)).toEqual(["install", "unit"]);
    expect(p.seconds).toBeCloseTo(42.4);
    expect(formatCriticalPath(p)).toBe("critical path: install 12.1s → unit 30.2s = 42.4s");
  });

  it("goes through a step that waited for cores, not only for its after", () => {
    const p = planCriticalPath([...timings, { name: "build", start: 30, end: 60 }]);
    expect(p.steps.map((s) => s.name)).toEqual(["install", "lint", "typecheck", "build"]);
    expect(p.seconds).toBe(60);
  });

  it("is empty for no steps", () => {
    expect(planCriticalPath([])).toEqual({ steps: [], seconds: 0 });
  });
});

describe("parallelGroups", () => {
  it("names the steps whose run times overlapped", () => {
    expect(parallelGroups(timings)).toEqual([["lint", "unit", "typecheck"]]);
    expect(formatParallel(timings)).toEqual(["in parallel: lint, unit, typecheck"]);
  });

  it("finds none in a sequential run", () => {
    const seq = [
      { name: "a", start: 0, end: 1 },
      { name: "b", start: 1, end: 2 },
    ];
    expect(parallelGroups(seq)).toEqual([]);
  });
});

describe("formatStepLines", () => {
  it("gives each job that measured its steps its parallel groups and critical path, and skips the others", () => {
    const threshold = { targetSeconds: 300, alertSeconds: 420 };
    const lines = formatStepLines([
      { job: "frontend", status: "passed", seconds: 43, threshold, steps: timings },
      { job: "backend", status: "skipped", seconds: 0, threshold },
    ]);
    expect(lines).toEqual([
      "frontend: in parallel: lint, unit, typecheck",
      "frontend: critical path: install 12.1s → unit 30.2s = 42.4s",
    ]);
  });
});
