import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { planFastTests } from "../../../../ci/src/plan/fastTests/stage";
import { pytestArgv } from "../../../../ci/src/plan/fastTests/backend";

describe("planFastTests", () => {
  const stage = planFastTests(parseConfig(undefined));
  const [frontend, backend] = stage.jobs;

  it("plans the frontend and backend jobs for parallel runs", () => {
    expect(stage.name).toBe("fast-tests");
    expect(stage.jobs.map((j) => j.name)).toEqual(["frontend", "backend"]);
  });

  it("installs from the lockfile before the source, then lints, typechecks, tests and builds", () => {
    expect(frontend.manifests).toEqual(["package.json", "package-lock.json"]);
    expect(frontend.install.map((s) => s.argv)).toEqual([["npm", "ci"]]);
    expect(frontend.steps.map((s) => s.name)).toEqual(["lint", "typecheck", "unit", "build"]);
  });

  it("gives the dummy public env to the build step only", () => {
    const build = frontend.steps.find((s) => s.name === "build");
    expect(build?.env).toEqual({ NEXT_PUBLIC_API_URL: "http://localhost:8000" });
    expect(frontend.steps.filter((s) => s.env)).toHaveLength(1);
  });

  it("caches ~/.npm and .next/cache, never node_modules", () => {
    expect(frontend.caches.map((c) => c.path)).toEqual(["/root/.npm", "/src/frontend/.next/cache"]);
    expect(frontend.caches.some((c) => c.path.includes("node_modules"))).toBe(false);
  });

  it("runs pytest against a mongo service with the coverage gate and the E2E tests deselected", () => {
    expect(backend.services.map((s) => [s.alias, s.image, s.port])).toEqual([["mongo", "mongo:7", 27017]]);
    expect(backend.services[0].env).toEqual({ DATABASE_URI: "mongodb://{host}:{port}/autoauthor_test" });
    expect(backend.caches).toEqual([{ key: "autoauthor-uv", path: "/root/.cache/uv" }]);
    expect(backend.steps[0].argv).toEqual([
      "uv",
      "run",
      "--frozen",
      "pytest",
      "-m",
      "not e2e",
      "--cov=app",
      "--cov-report=term-missing",
      "--cov-report=xml:coverage.xml",
      "--cov-fail-under=85",
      "--junitxml=junit.xml",
    ]);
  });

  it("takes the threshold, markers and deselected ids from the config", () => {
    const c = parseConfig(
      "thresholds:\n  coverage: 92\nbackend:\n  deselectMarkers: [e2e, slow]\n  deselect: ['tests/test_a.py::test_b']\n",
    );
    const argv = pytestArgv(c);
    expect(argv).toContain("--cov-fail-under=92");
    expect(argv.slice(argv.indexOf("-m"), argv.indexOf("-m") + 2)).toEqual(["-m", "not e2e and not slow"]);
    expect(argv.slice(argv.indexOf("--deselect"), argv.indexOf("--deselect") + 2)).toEqual([
      "--deselect",
      "tests/test_a.py::test_b",
    ]);
  });

  it("uses the fast-tests threshold of R-durations: 5 minutes, alert at 7", () => {
    expect(stage.threshold).toEqual({ targetSeconds: 300, alertSeconds: 420 });
  });

  it("plans a single job when asked", () => {
    expect(planFastTests(parseConfig(undefined), "backend").jobs.map((j) => j.name)).toEqual(["backend"]);
  });
});
