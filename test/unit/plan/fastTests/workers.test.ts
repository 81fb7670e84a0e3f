import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { planBackendJob } from "../../../../ci/src/plan/fastTests/backend";
import { planFrontendJob } from "../../../../ci/src/plan/fastTests/frontend";
import { stepGraph } from "../../../../ci/src/plan/fastTests/graph";
import { stepForCores, WORKER_DB_MODULE, XDIST_REQUIREMENT } from "../../../../ci/src/plan/fastTests/workers";

const VITEST_PKG = JSON.stringify({ scripts: { "test:coverage": "vitest run --coverage" } });
const XDIST = '[dependency-groups]\ndev = ["pytest==9.2.0", "pytest-xdist==3.8.0"]\n';
const frontend = (pkg: string, yaml?: string) =>
  planFrontendJob(parseConfig(yaml, "pipeline.yaml", { frontend: { packageJson: pkg, lockfiles: ["npm"] } }));
const pytest = (yaml?: string, pyproject?: string) =>
  planBackendJob(parseConfig(yaml, "pipeline.yaml", { pyproject })).steps.find((s) => s.name === "pytest")!;

describe("stepForCores", () => {
  it("passes --maxWorkers after -- to the npm script that runs vitest or jest", () => {
    const unit = frontend(VITEST_PKG).steps.find((s) => s.name === "unit")!;
    expect(unit.workers).toEqual({ runner: "vitest" });
    expect(stepForCores(unit, 2).argv).toEqual(["npm", "run", "test:coverage", "--", "--maxWorkers=2"]);
    const jest = frontend(JSON.stringify({ scripts: { t: "jest --ci" } }), "frontend:\n  steps: { unit: npx jest }\n");
    expect(stepForCores(jest.steps[0], 3).argv).toEqual(["npx", "jest", "--maxWorkers=3"]);
  });

  it("leaves a step without a test runner as planned", () => {
    const lint = frontend(VITEST_PKG).steps.find((s) => s.name === "lint")!;
    expect(stepForCores(lint, 2)).toBe(lint);
  });

  it("gives the unit step all the machine's cores unless pipeline.yaml sets them", () => {
    const cores = (yaml?: string) => stepGraph(frontend(VITEST_PKG, yaml)).find((n) => n.name === "unit")!.cores;
    expect(cores()).toBe(Number.POSITIVE_INFINITY);
    expect(cores("frontend:\n  cores: { unit: 1 }\n")).toBe(1);
  });

  it("runs pytest with -n and the per-worker database plugin when pyproject.toml declares pytest-xdist", () => {
    const step = pytest(undefined, XDIST);
    expect(step.workers).toEqual({ runner: "xdist" });
    expect(step.env).toEqual({ PYTEST_PLUGINS: WORKER_DB_MODULE });
    expect(step.python?.name).toBe(WORKER_DB_MODULE);
    expect(stepForCores(step, 2).argv.slice(-2)).toEqual(["-n", "2"]);
    expect(stepForCores(step, 1).argv).toEqual(step.argv);
  });

  it("adds pytest-xdist to uv run for backend.parallel: auto, and never runs workers for off", () => {
    const auto = stepForCores(pytest("backend:\n  parallel: auto\n"), 2).argv;
    expect(auto.slice(0, 5)).toEqual(["uv", "run", "--with", XDIST_REQUIREMENT, "--frozen"]);
    expect(auto.slice(-2)).toEqual(["-n", "2"]);
    expect(pytest("backend:\n  parallel: off\n", XDIST).workers).toBeUndefined();
    expect(pytest(undefined, undefined).workers).toBeUndefined();
  });

  it("refuses backend.parallel: auto that nothing can satisfy (no pytest-xdist declared, test not uv run)", () => {
    expect(() => pytest("backend:\n  parallel: auto\n  test: python -m pytest\n")).toThrow(
      /backend\.parallel[\s\S]*add pytest-xdist to the project's test dependencies/,
    );
  });

  it("gives the mongo service each {database} template for the workers, the name kept apart", () => {
    const job = planBackendJob(parseConfig(undefined, "pipeline.yaml", { pyproject: XDIST }));
    expect(job.services[0].env).toEqual({
      DATABASE_URI: "mongodb://{host}:{port}/autoauthor_test",
      PIPELINE_WORKER_DB_TEMPLATES: JSON.stringify({ DATABASE_URI: "mongodb://{host}:{port}/{database}" }),
      PIPELINE_WORKER_DB_NAME: "autoauthor_test",
    });
    expect(planBackendJob(parseConfig(undefined)).services[0].env).toEqual({
      DATABASE_URI: "mongodb://{host}:{port}/autoauthor_test",
    });
  });
});
