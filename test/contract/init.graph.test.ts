import { availableParallelism } from "node:os";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callCi, type CiFunction } from "../support/ciCall";
import { jobGraphs, type JobGraph } from "../support/graph";
import { startRecorder, type Recording } from "../support/recorder";

const LIBRARY = resolve(import.meta.dirname, "../../examples/library");
const SKIP = new Set(["node_modules", ".venv", ".next", "coverage", "__pycache__", "pipeline.yaml"]);

/** Record one Ci call against a fresh recorder; return what it returned and the recorded chains. */
async function record<T>(
  name: CiFunction,
  args: (dag: typeof import("@dagger.io/dagger").dag) => Record<string, unknown>,
) {
  const rec: Recording = await startRecorder();
  const saved = { ...process.env };
  Object.assign(process.env, rec.env);
  try {
    const { connection, dag } = await import("@dagger.io/dagger");
    let out: T | undefined;
    await connection(async () => {
      out = await callCi<T>(name, args(dag));
      // A returned File is lazy: the CLI's `export` evaluates it; here a leaf query does.
      if (out && typeof (out as { contents?: unknown }).contents === "function") {
        await (out as unknown as import("@dagger.io/dagger").File).contents();
      }
    });
    return { out: out as T, rec };
  } finally {
    process.env = saved;
    rec.close();
  }
}

/**
 * The second fixture (examples/library: jest, Python 3.13, pytest in an extra, TEST_MONGO_URI) on the Dagger path:
 * `init` writes its pipeline.yaml from the files the engine lists, and `fastTests` driven by that file alone
 * sends the containers that repository needs. Expectations are literal, not read from the plan.
 */
describe("init, then fast-tests on examples/library (recorded GraphQL requests)", () => {
  let dir: string;
  let yaml: string;
  let graphs: JobGraph[];

  beforeAll(async () => {
    dir = join(mkdtempSync(join(tmpdir(), "library-")), "library");
    cpSync(LIBRARY, dir, { recursive: true, filter: (src) => !SKIP.has(basename(src)) });
    const init = await record("init", (dag) => ({ source: dag.host().directory(dir) }));
    const written = init.rec.chains.flat().find((c) => c.field === "withNewFile" && c.args.path === "pipeline.yaml");
    yaml = String(written?.args.contents ?? "");
    writeFileSync(join(dir, "pipeline.yaml"), yaml);
    const run = await record<string>("fastTests", (dag) => ({
      source: dag.host().directory(dir),
      config: "pipeline.yaml",
    }));
    graphs = jobGraphs(run.rec.chains);
  }, 120_000);
  afterAll(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

  it("init writes the repository's own script names, Python, extra, package and Mongo variables", () => {
    expect(yaml).toContain("typecheck: npm run type-check");
    expect(yaml).toContain("unit: npm run test:ci");
    expect(yaml).toMatch(/pythonVersion: "3\.13"/);
    expect(yaml).toMatch(/extras:\n\s+- test/);
    expect(yaml).toContain("coverageSource: library");
    expect(yaml).toContain("TEST_MONGO_URI: mongodb://{host}:{port}/{database}");
  });

  it("runs the frontend's own scripts in node:20", () => {
    const fe = graphs.find((g) => g.image.startsWith("node:"));
    expect(fe?.image).toBe("node:20-bookworm-slim");
    // Install, then the checks (each its own chain from the installed container, so in no order).
    expect(fe?.execs).toEqual([
      ["npm", "ci"],
      ["npm", "run", "build"],
      ["npm", "run", "lint"],
      // jest (package.json's test:ci) gets a worker per core the unit step is given.
      ["npm", "run", "test:ci", "--", `--maxWorkers=${availableParallelism()}`],
      ["npm", "run", "type-check"],
    ]);
  });

  it("installs the test extra with Python 3.13 and points TEST_MONGO_URI at the mongo service", () => {
    const be = graphs.find((g) => g.services.length > 0);
    expect(be?.image).toBe("ghcr.io/astral-sh/uv:0.13.9-python3.13-trixie-slim");
    expect(be?.execs[0]).toEqual(["uv", "sync", "--frozen", "--extra", "test"]);
    expect(be?.execs[1]).toEqual(expect.arrayContaining(["--cov=library", "-m", "not e2e"]));
    expect(be?.env.UV_PYTHON).toBe("3.13");
    expect(be?.env.TEST_MONGO_URI).toBe("mongodb://mongo:27017/autoauthor_test");
    expect(be?.env.MONGODB_URI).toBe("mongodb://mongo:27017/autoauthor_test");
    expect(be?.services).toEqual([{ alias: "mongo", image: "mongo:7", port: 27017 }]);
  });
});
