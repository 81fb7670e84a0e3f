import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planFastTests } from "../../ci/src/plan/fastTests/stage";
import { parseConfig } from "../../ci/src/plan/config/parse";
import { allSteps } from "../../ci/src/plan/job";
import { runHostStage } from "../../scripts/host/stage";
import { expectedGraph, graphOf, syncedContainers, type JobGraph } from "../support/graph";
import { startRecorder, type Recording } from "../support/recorder";

const EXAMPLE = resolve(import.meta.dirname, "../../examples/app");

/**
 * The Dagger path, checked with the real SDK client and no engine: a recording of the
 * GraphQL requests `fastTests` sends must hold exactly the plan's images, steps, caches,
 * service bindings and env. The host runner's dry run must hold exactly the plan's steps.
 */
describe("fastTests container graph (recorded GraphQL requests)", () => {
  const plan = planFastTests(parseConfig(undefined));
  let rec: Recording;
  let summary: string;
  let graphs: JobGraph[];

  beforeAll(async () => {
    rec = await startRecorder();
    const saved = { ...process.env };
    Object.assign(process.env, rec.env);
    try {
      const { connection, dag } = await import("@dagger.io/dagger");
      const { Ci } = await import("../../ci/src/index");
      await connection(async () => {
        summary = await new Ci().fastTests(dag.host().directory(EXAMPLE), "pipeline.yaml");
      });
    } finally {
      process.env = saved;
    }
    graphs = syncedContainers(rec.chains).map(graphOf);
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
    const frontendChain = syncedContainers(rec.chains).find((calls) =>
      calls.some((c) => c.field === "from" && c.args.address === plan.jobs[0].image),
    );
    const fields = (frontendChain ?? []).map((c) =>
      c.field === "withExec" ? `exec:${(c.args.args as string[]).join(" ")}` : c.field,
    );
    expect(fields.indexOf("withFile")).toBeLessThan(fields.indexOf("exec:npm ci"));
    expect(fields.indexOf("exec:npm ci")).toBeLessThan(fields.indexOf("withDirectory"));
    expect(fields.indexOf("withDirectory")).toBeLessThan(fields.indexOf("exec:npm run lint"));
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

describe("host runner (dry run) against the same plan", () => {
  it("runs exactly the plan's steps, in order, in each job's directory", async () => {
    const plan = planFastTests(parseConfig(undefined));
    const r = await runHostStage(plan, EXAMPLE, { dryRun: true });
    for (const job of plan.jobs) {
      const ran = r.planned.filter((c) => c.job === job.name);
      expect(ran.map((c) => c.argv)).toEqual(allSteps(job).map((s) => s.argv));
      expect(new Set(ran.map((c) => c.cwd))).toEqual(new Set([resolve(EXAMPLE, job.workdir)]));
    }
  });
});

describe("graphOf against expectedGraph", () => {
  it("notices a step that only one runner adds", () => {
    const job = planFastTests(parseConfig(undefined)).jobs[0];
    const g = expectedGraph(job);
    expect({ ...g, execs: [...g.execs, ["npm", "run", "extra"]] }).not.toEqual(expectedGraph(job));
  });
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
      const { Ci } = await import("../../ci/src/index");
      let run: Promise<string> | undefined;
      await connection(async () => {
        run = new Ci().fastTests(dag.host().directory(EXAMPLE), "pipeline.yaml");
        await run.catch(() => undefined);
      });
      const { StageFailed } = await import("../../ci/src/dagger/stage");
      await expect(run).rejects.toThrow(StageFailed);
      await expect(run).rejects.toThrow(
        /fast-tests: FAILED[\s\S]*frontend\s+PASSED[\s\S]*backend\s+FAILED.*step pytest: exit 1[\s\S]*--- backend failed at step pytest ---[\s\S]*Total coverage: 61\.54%/,
      );
    } finally {
      process.env = saved;
      await rec.close();
    }
  }, 60_000);
});
