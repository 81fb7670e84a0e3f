import { describe, expect, it } from "vitest";
import { declaresXdist, detectTestRunners } from "../../../../ci/src/plan/config/testRunners";

describe("detectTestRunners", () => {
  const pkg = JSON.stringify({
    scripts: { "test:ci": "cross-env TZ=UTC jest --ci", "test:coverage": "vitest run --coverage", lint: "eslint ." },
  });

  it("reads the runner from the script a step runs, or from the step's own command", () => {
    const steps = {
      unit: "npm run test:ci",
      cov: "pnpm test:coverage",
      lint: "npm run lint",
      direct: ["npx", "vitest"],
    };
    expect(detectTestRunners(steps, pkg)).toEqual({ unit: "jest", cov: "vitest", direct: "vitest" });
  });

  it("finds nothing in a package.json it cannot read, or a script that only names a runner in passing", () => {
    expect(detectTestRunners({ unit: "npm run test:ci" }, "{not json")).toEqual({});
    const words = JSON.stringify({ scripts: { t: "node scripts/jest-config-check.js" } });
    expect(detectTestRunners({ unit: "npm run t" }, words)).toEqual({});
  });
});

describe("declaresXdist", () => {
  it("sees pytest-xdist in PEP 621 lists, dependency groups and Poetry tables", () => {
    expect(declaresXdist('[project.optional-dependencies]\ntest = ["pytest-xdist>=3"]\n')).toBe(true);
    expect(declaresXdist('[tool.poetry.group.dev.dependencies]\npytest-xdist = "^3.8"\n')).toBe(true);
    expect(declaresXdist('[project]\ndependencies = ["pytest"]\n# pytest-xdist later\n')).toBe(false);
    expect(declaresXdist(undefined)).toBe(false);
  });
});
