import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPipeline } from "../support/cli";

const LIBRARY = resolve(import.meta.dirname, "../../examples/library");
const SKIP = new Set(["node_modules", ".venv", ".next", "coverage", "__pycache__", "pipeline.yaml", "junit.xml"]);

/**
 * A repository that is not the example (examples/library: jest, Python 3.13 in .python-version, pytest in an
 * optional extra, TEST_MONGO_URI and MONGODB_URI, an aggregation endpoint), driven by the pipeline.yaml that
 * `init` wrote, on the real tools: npm, uv with pyenv's CPython 3.13, and the MongoDB stand-in.
 */
describe("init, then fast-tests on a second repository (examples/library)", () => {
  let dir: string;
  beforeAll(() => {
    dir = join(mkdtempSync(join(tmpdir(), "library-")), "library");
    cpSync(LIBRARY, dir, { recursive: true, filter: (src) => !SKIP.has(basename(src)) });
  });
  // The copy holds node_modules and a .venv: removing them took over a minute on a loaded 2-core machine.
  afterAll(() => rmSync(join(dir, ".."), { recursive: true, force: true }), 180_000);

  it("init writes a pipeline.yaml that says what it guessed and why", async () => {
    const r = await runPipeline(["init", "--source", dir]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toMatch(/backend\.pythonVersion: "3\.13"\s+\(\.python-version says 3\.13\)/);
    const yaml = readFileSync(join(dir, "pipeline.yaml"), "utf8");
    expect(yaml).toContain("TEST_MONGO_URI: mongodb://{host}:{port}/{database}");
    const again = await runPipeline(["init", "--source", dir]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/exists already; .* --force/);
  }, 60_000);

  it("passes fast-tests driven by that file alone", async () => {
    const r = await runPipeline(["fast-tests", "--source", dir]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toMatch(/frontend\s+PASSED/);
    expect(r.stdout).toMatch(/backend\s+PASSED/);
    expect(r.stdout).toMatch(/\[frontend:unit\] \$ npm run test:ci/);
    expect(r.stdout).toMatch(/\[backend:install\] \$ uv sync --frozen --extra test/);
    expect(r.stdout).toMatch(/test_stats\.py \.+/);
  }, 900_000);

  it("fails naming the backend job when one of its tests fails", async () => {
    expect(existsSync(join(dir, "pipeline.yaml"))).toBe(true);
    appendFileSync(join(dir, "backend/tests/test_stats.py"), "\n\ndef test_injected_failure():\n    assert 1 == 2\n");
    const r = await runPipeline(["backend-tests", "--source", dir]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/backend\s+FAILED\s+.*step pytest: exit 1/);
    expect(r.stderr).toMatch(/backend failed at pytest:[\s\S]*test_injected_failure/);
  }, 300_000);
});
