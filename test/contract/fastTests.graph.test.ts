import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planFastTests } from "../../ci/src/plan/fastTests/stage";
import { parseConfig } from "../../ci/src/plan/config/parse";
import { allSteps } from "../../ci/src/plan/job";
import { readConfig } from "../../scripts/host/config";
import { runFastTests } from "../../scripts/host/fastTests";
import { WORKER_DB_PLUGIN } from "../../ci/src/plan/fastTests/workers";
import { callCi } from "../support/ciCall";
import { copyExample } from "../support/example";
import { availableParallelism } from "node:os";
import { expectedGraph, jobGraphs, shape, syncedContainers, type JobGraph } from "../support/graph";
import { startRecorder, type Call, type Recording } from "../support/recorder";

const EXAMPLE = resolve(import.meta.dirname, "../../examples/app");
// The example's config as both runners read it: with its package.json and pyproject.toml (vitest's workers).
const EXAMPLE_CONFIG = await readConfig(EXAMPLE);

/**
 * The Dagger path, checked with the real SDK client and no engine: a recording of the
 * GraphQL requests `fastTests` sends must hold exactly the plan's images, steps, caches,
 * service bindings and env. The host runner's dry run must hold exactly the plan's steps.
 */
describe("fastTests container graph (recorded GraphQL requests)", () => {
  const plan = planFastTests(EXAMPLE_CONFIG);
  let rec: Recording;
  let summary: string;
  let graphs: JobGraph[];

  beforeAll(async () => {
    // Each exec answer is held 300 ms, as a command takes time, so steps sent side by side are seen side by side.
    rec = await startRecorder({ holdExecMs: 300 });
    const saved = { ...process.env };
    Object.assign(process.env, rec.env);
    try {
      const { connection, dag } = await import("@dagger.io/dagger");
      await connection(async () => {
        summary = await callCi("fastTests", { source: dag.host().directory(EXAMPLE), config: "pipeline.yaml" });
      });
    } finally {
      process.env = saved;
    }
    graphs = jobGraphs(rec.chains);
  }, 60_000);
  afterAll(() => rec?.close());

  it("runs to completion and returns the summary table", () => {
    expect(summary).toMatch(/^fast-tests: passed\n/);
    expect(summary).toMatch(/frontend\s+PASSED/);
    expect(summary).toMatch(/backend\s+PASSED/);
  });

  it("builds one container per planned job", () => {
    expect(graphs.map((g) => g.image).sort()).toEqual(plan.jobs.map((j) => j.image).sort());
  });

  for (const job of plan.jobs) {
    it(`gives the ${job.name} container exactly the plan's image, steps, caches, services and env`, () => {
      const got = graphs.find((g) => g.image === job.image);
      expect(got).toEqual(expectedGraph(job));
    });
  }

  it("binds MongoDB as `mongo` from mongo:7 on 27017 and points DATABASE_URI at it", () => {
    const backend = graphs.find((g) => g.services.length > 0);
    expect(backend?.services).toEqual([{ alias: "mongo", image: "mongo:7", port: 27017 }]);
    expect(backend?.env.DATABASE_URI).toBe("mongodb://mongo:27017/autoauthor_test");
  });

  it("copies the lockfiles before installing and the source after", () => {
    for (const calls of syncedContainers(rec.chains)) expect(installOrder(calls)).toEqual([]);
  });

  it("(the install-order check) fails a chain without the lockfile copy, or with it after npm ci", () => {
    const frontend = syncedContainers(rec.chains).find((calls) => calls.some((c) => c.field === "withExec"))!;
    const withoutFile = frontend.filter((c) => c.field !== "withFile");
    expect(installOrder(withoutFile)).toEqual(["no withFile of a lockfile before the install exec"]);
    const install = withoutFile.findIndex((c) => c.field === "withExec");
    const files = frontend.filter((c) => c.field === "withFile");
    const late = [...withoutFile.slice(0, install + 1), ...files, ...withoutFile.slice(install + 1)];
    expect(installOrder(late)).toEqual(["no withFile of a lockfile before the install exec"]);
    const early = [...withoutFile.slice(0, install), ...files, ...withoutFile.slice(install)];
    expect(installOrder(early)).toEqual([]);
  });

  it("builds each step's container exactly so: image, caches, env, lockfiles, install, source, its own exec", () => {
    const chains = syncedContainers(rec.chains).map(shape);
    const fe = chains.filter((c) => c[0] === "from node:20-bookworm-slim");
    const base = [
      "from node:20-bookworm-slim",
      "cache /root/.npm autoauthor-npm",
      "cache /src/frontend/.next/cache autoauthor-next-cache (LOCKED)",
      "env NEXT_TELEMETRY_DISABLED=1",
      "env CI=true",
      "workdir /src/frontend",
      "file /src/frontend/package.json",
      "file /src/frontend/package-lock.json",
      "exec npm ci",
    ];
    const installed = [...base, "dir /src/frontend"];
    expect(fe.sort()).toEqual(
      [
        base,
        [...installed, "exec npm run lint"],
        [...installed, "exec npm run typecheck"],
        // vitest (package.json's test:coverage) gets a worker per core the unit step is given.
        [...installed, `exec npm run test:coverage -- --maxWorkers=${availableParallelism()}`],
        [
          ...installed,
          "env NEXT_PUBLIC_API_URL=http://localhost:8000",
          "exec npm run build",
          "unset NEXT_PUBLIC_API_URL",
        ],
      ].sort(),
    );
    const be = chains.filter((c) => c.some((l) => l.startsWith("service ")));
    expect(be).toHaveLength(2);
    const pytest = be.find((c) => c.at(-1)?.startsWith("exec uv run"))!;
    expect(pytest[0]).toMatch(/^from ghcr\.io\/astral-sh\/uv:\d+\.\d+\.\d+-python3\.12-[a-z]+-slim$/);
    expect(pytest.slice(1)).toEqual([
      "cache /root/.cache/uv autoauthor-uv",
      "service mongo mongo:7:27017",
      "env DATABASE_URI=mongodb://mongo:27017/autoauthor_test",
      "env UV_PYTHON_DOWNLOADS=never",
      "env UV_LINK_MODE=copy",
      "env CI=true",
      "env UV_PYTHON=3.12",
      "workdir /src/backend",
      "file /src/backend/pyproject.toml",
      "file /src/backend/uv.lock",
      "exec uv sync --frozen",
      "dir /src/backend",
      "exec uv run --frozen pytest -m not e2e --cov=app --cov-report=term-missing --cov-report=xml:coverage.xml --cov-fail-under=85 --junitxml=junit.xml",
    ]);
  });

  it("runs the frontend's checks as separate chains from the installed container, side by side within the cores", () => {
    const fe = syncedContainers(rec.chains).filter((c) => shape(c)[0] === "from node:20-bookworm-slim");
    const execsOf = (calls: (typeof fe)[number]) => shape(calls).filter((l) => l.startsWith("exec "));
    // The old sequential chain ran lint, typecheck, unit and build one after another in one container.
    for (const calls of fe) expect(execsOf(calls).length).toBeLessThanOrEqual(2);
    expect(fe.filter((c) => execsOf(c).length === 2)).toHaveLength(4);
    expect(rec.peakExecs.get("node:20-bookworm-slim")).toBe(Math.min(4, availableParallelism()));
  });

  it("says in the summary which frontend steps ran side by side and the critical path", () => {
    expect(summary).toMatch(/^frontend: critical path: install \d+\.\ds → \S+ \d+\.\ds.* = \d+\.\ds$/m);
    if (availableParallelism() > 1) expect(summary).toMatch(/^frontend: in parallel: (lint|typecheck), /m);
    expect(summary).toMatch(/^backend: critical path: install \d+\.\ds → pytest \d+\.\ds = \d+\.\ds$/m);
  });

  it("gives no container a per-call run id, so a persistent engine serves unchanged jobs from cache", () => {
    const names = syncedContainers(rec.chains)
      .flat()
      .filter((c) => c.field === "withEnvVariable")
      .map((c) => c.args.name);
    expect(names).not.toContain("PIPELINE_RUN_ID");
    expect(names.length).toBeGreaterThan(0);
  });

  it("mounts .next/cache with Locked sharing, so two builds on one engine never write it at once", () => {
    const mounts = syncedContainers(rec.chains)
      .flat()
      .filter((c) => c.field === "withMountedCache");
    const next = mounts.filter((c) => String(c.args.path).endsWith("/.next/cache"));
    expect(next.length).toBeGreaterThan(0);
    for (const m of next) expect(m.args.sharing).toBe("LOCKED");
  });
});

/** What is wrong with a container's install order: lockfiles copied before the first exec, the source after it. */
function installOrder(calls: Call[]): string[] {
  const install = calls.findIndex((c) => c.field === "withExec");
  const firstFile = calls.findIndex((c) => c.field === "withFile");
  const source = calls.findIndex((c) => c.field === "withDirectory");
  const problems: string[] = [];
  if (install < 0) return ["no install exec"];
  if (firstFile < 0 || firstFile > install) problems.push("no withFile of a lockfile before the install exec");
  if (source >= 0 && source < install) problems.push("the source is copied before the install exec");
  return problems;
}

describe("host runner (dry run) against the same plan", () => {
  it("runs exactly the plan's steps, in order, in each job's directory", async () => {
    const plan = planFastTests(parseConfig(undefined));
    const r = await runFastTests(EXAMPLE, parseConfig(undefined), { dryRun: true });
    for (const job of plan.jobs) {
      const ran = r.planned.filter((c) => c.job === job.name);
      expect(ran.map((c) => c.argv)).toEqual(allSteps(job).map((s) => s.argv));
      expect(new Set(ran.map((c) => c.cwd))).toEqual(new Set([resolve(EXAMPLE, job.workdir)]));
    }
  });
});

describe("jobGraphs against expectedGraph", () => {
  it("notices a step that only the recorded chain has", async () => {
    const job = planFastTests(EXAMPLE_CONFIG).jobs[0];
    const rec = await startRecorder();
    const saved = { ...process.env };
    Object.assign(process.env, rec.env);
    try {
      const { connection, dag } = await import("@dagger.io/dagger");
      await connection(async () => {
        await callCi("frontendChecks", { source: dag.host().directory(EXAMPLE), config: "pipeline.yaml" });
      });
    } finally {
      process.env = saved;
      await rec.close();
    }
    expect(jobGraphs(rec.chains)).toEqual([expectedGraph(job)]);
    const extra: Call = { field: "withExec", args: { args: ["npm", "run", "extra"] } };
    const [last, ...rest] = [...rec.chains].reverse();
    const withExtra = [...rest.reverse(), [...last.slice(0, -1), extra, ...last.slice(-1)]];
    expect(jobGraphs(withExtra)).not.toEqual([expectedGraph(job)]);
  }, 60_000);
});

describe("fastTests when a step fails on the engine", () => {
  it("fails with the failing job's name, step and output, and still reports the other job", async () => {
    const coverage = "FAIL Required test coverage of 85% not reached. Total coverage: 61.54%";
    const pytest = planFastTests(parseConfig(undefined)).jobs[1].steps[0].argv;
    const rec = await startRecorder({
      failExec: { argv: pytest, exitCode: 1, stdout: `31 passed\n${coverage}\n`, stderr: "" },
    });
    const saved = { ...process.env };
    Object.assign(process.env, rec.env);
    try {
      const { connection, dag } = await import("@dagger.io/dagger");
      let run: Promise<string> | undefined;
      await connection(async () => {
        run = callCi<string>("fastTests", { source: dag.host().directory(EXAMPLE), config: "pipeline.yaml" });
        await run.catch(() => undefined);
      });
      const { StageFailed } = await import("../../ci/src/dagger/fastTests");
      await expect(run).rejects.toThrow(StageFailed);
      await expect(run).rejects.toThrow(
        /fast-tests: FAILED[\s\S]*frontend\s+PASSED[\s\S]*backend\s+FAILED.*step pytest: exit 1[\s\S]*backend failed at pytest:\nexit 1\n[\s\S]*Total coverage: 61\.54%\nre-run it alone: dagger call backend-tests/,
      );
    } finally {
      process.env = saved;
      await rec.close();
    }
  }, 60_000);
});

describe("backendTests with pytest-xdist declared (recorded GraphQL requests)", () => {
  it("runs pytest with a worker per core, the per-worker database plugin on PYTHONPATH and the templates", async () => {
    const copy = copyExample();
    const pyproject = join(copy.dir, "backend/pyproject.toml");
    writeFileSync(
      pyproject,
      readFileSync(pyproject, "utf8").replace('"pytest==9.2.0",', '"pytest==9.2.0", "pytest-xdist==3.8.0",'),
    );
    const rec = await startRecorder();
    const saved = { ...process.env };
    Object.assign(process.env, rec.env);
    try {
      const { connection, dag } = await import("@dagger.io/dagger");
      await connection(async () => {
        await callCi("backendTests", { source: dag.host().directory(copy.dir), config: "pipeline.yaml" });
      });
    } finally {
      process.env = saved;
      await rec.close();
      copy.remove();
    }
    const chains = syncedContainers(rec.chains).map(shape);
    const pytest = chains.find((c) => c.some((l) => l.startsWith("exec uv run --frozen pytest")))!;
    const cores = availableParallelism();
    expect(pytest).toEqual(
      expect.arrayContaining([
        `env PIPELINE_WORKER_DB_TEMPLATES=${JSON.stringify({ DATABASE_URI: "mongodb://mongo:27017/{database}" })}`,
        "env PIPELINE_WORKER_DB_NAME=autoauthor_test",
        "new-file /opt/pipeline/python/pipeline_worker_db.py",
        "env PYTHONPATH=/opt/pipeline/python",
        "env PYTEST_PLUGINS=pipeline_worker_db",
      ]),
    );
    expect(pytest.at(-2)).toMatch(cores > 1 ? new RegExp(` -n ${cores}$`) : /--junitxml=junit\.xml$/);
    const plugin = syncedContainers(rec.chains)
      .flat()
      .find((c) => c.field === "withNewFile");
    expect(plugin?.args.contents).toBe(WORKER_DB_PLUGIN);
  }, 60_000);
});
