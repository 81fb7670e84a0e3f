/**
 * pytest with pytest-xdist on the host runner, against the real MongoDB stand-in: a tiny suite whose tests each
 * empty one shared collection, write their own documents and count them, the two workers taking turns. Two workers on
 * one database wipe each other's documents; with the pipeline's per-worker databases (`autoauthor_test_gw0`, `_gw1`)
 * they pass.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { tmpdir } from "node:os";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { $ } from "zx";
import { parseConfig } from "../../../ci/src/plan/config/parse";
import { planBackendJob } from "../../../ci/src/plan/fastTests/backend";
import type { Job } from "../../../ci/src/plan/job";
import { processExecutor } from "../../../scripts/host/exec";
import { hostOverrides, runJob } from "../../../scripts/host/job";
import { TOOLS_BIN } from "../../../scripts/host/stage";

const dir = mkdtempSync(join(tmpdir(), "xdist-"));
const backend = join(dir, "backend");
const env = { ...process.env, PATH: [TOOLS_BIN, process.env.PATH].join(delimiter), UV_PYTHON_DOWNLOADS: "never" };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PYPROJECT = `[project]
name = "tiny"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["pymongo==4.20.1"]

[dependency-groups]
dev = ["pytest==9.2.0", "pytest-cov==7.1.0", "pytest-xdist==3.8.0"]
`;

// Every test empties the shared collection and writes 20 documents of its own, then counts them. The workers take
// turns through files, so the overlap does not depend on timing: gw1's k-th test starts once gw0's k-th has written,
// and gw0's counts once gw1's has. On one shared database gw1's delete_many wipes gw0's documents, every time.
const TESTS = `import itertools, os, pathlib, time
import pytest
from pymongo import MongoClient

turn = itertools.count()

def post(name):
    pathlib.Path("turns").mkdir(exist_ok=True)
    pathlib.Path("turns", name).touch()

def wait_for(name, seconds=10):
    end = time.time() + seconds
    while time.time() < end and not pathlib.Path("turns", name).exists():
        time.sleep(0.05)

@pytest.mark.parametrize("n", range(8))
def test_own_documents(n):
    me, k = os.environ.get("PYTEST_XDIST_WORKER", "main"), next(turn)
    db = MongoClient(os.environ["DATABASE_URI"], serverSelectionTimeoutMS=5000).get_default_database()
    pathlib.Path("seen").mkdir(exist_ok=True)
    pathlib.Path("seen", me).write_text(db.name)
    if me == "gw1":
        wait_for(f"gw0-{k}")
    db.items.delete_many({})
    db.items.insert_many([{"test": n, "i": i} for i in range(20)])
    post(f"{me}-{k}")
    if me == "gw0":
        wait_for(f"gw1-{k}")
    assert db.items.count_documents({"test": n}) == 20
`;

function seen(): Record<string, string> {
  const at = join(backend, "seen");
  const names = readdirSync(at);
  return Object.fromEntries(names.map((n) => [n, readFileSync(join(at, n), "utf8")]));
}

async function run(job: Job) {
  for (const d of ["seen", "turns"]) rmSync(join(backend, d), { recursive: true, force: true });
  const out = new PassThrough();
  let text = "";
  out.on("data", (d: Buffer) => (text += d.toString()));
  const overrides = await hostOverrides(job, env);
  const o = { sourceDir: dir, env, exec: processExecutor, index: 0, startServices: true, out, overrides, cores: 2 };
  return { r: await runJob(job, o), text };
}

describe("pytest-xdist on the host runner, each worker with its own database", () => {
  let job: Job;

  beforeAll(async () => {
    mkdirSync(join(backend, "tests"), { recursive: true });
    mkdirSync(join(backend, "app"));
    writeFileSync(join(backend, "pyproject.toml"), PYPROJECT);
    writeFileSync(join(backend, "app", "__init__.py"), "");
    writeFileSync(join(backend, "tests", "test_shared.py"), TESTS);
    const probe = planBackendJob(parseConfig(undefined));
    const uvPython = (await hostOverrides(probe, env)).UV_PYTHON;
    await $({ cwd: backend, env: { ...env, ...(uvPython ? { UV_PYTHON: uvPython } : {}) }, quiet: true })`uv lock`;
    // The repository declares pytest-xdist, so the plan runs pytest with workers; coverage is not what is tested.
    job = planBackendJob(
      parseConfig("thresholds:\n  coverage: 0\n", "pipeline.yaml", { pyproject: PYPROJECT, backendFiles: ["uv.lock"] }),
    );
  }, 180_000);

  it("runs `pytest … -n 2` on two cores, and the tests pass, each worker on <database>_<worker>", async () => {
    const { r, text } = await run(job);
    expect(text).toMatch(/^\[backend:pytest\] \$ uv run --frozen pytest .* -n 2$/m);
    expect(r.status, r.output?.slice(-3000)).toBe("passed");
    expect(text).toMatch(/8 passed/);
    expect(seen()).toEqual({ gw0: "autoauthor_test_gw0", gw1: "autoauthor_test_gw1" });
  }, 180_000);

  it("(the same suite without the per-worker databases) collides: the workers wipe each other's documents", async () => {
    const shared = {
      ...job,
      steps: job.steps.map((s) => (s.name === "pytest" ? { ...s, python: undefined, env: {} } : s)),
    };
    const { r } = await run(shared);
    expect(r.status).toBe("failed");
    expect(r.output).toMatch(/FAILED tests\/test_shared\.py::test_own_documents/);
    expect(seen()).toEqual({ gw0: "autoauthor_test", gw1: "autoauthor_test" });
  }, 180_000);
});
