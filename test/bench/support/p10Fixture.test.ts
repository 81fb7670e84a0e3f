import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planFastTests } from "../../../ci/src/plan/fastTests/stage";
import { stepForCores } from "../../../ci/src/plan/fastTests/workers";
import { DEFAULT_SIZE, fixtureDir, writeFixture } from "../../../bench/support/p10Fixture";
import { readConfig } from "../../../scripts/host/config";

const dir = join(mkdtempSync(join(tmpdir(), "p10-")), "repo");
afterAll(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

describe("the P10 fixture", () => {
  writeFixture(dir, DEFAULT_SIZE);
  const gen = join(dir, "frontend/lib/gen");
  const tests = readdirSync(gen).filter((f) => f.endsWith(".test.ts"));
  const py = readdirSync(join(dir, "backend/tests/gen")).filter((f) => f.startsWith("test_"));

  it("has ~2,000 jest tests in ~130 files and ~1,200 pytest tests", () => {
    const count = (files: string[], at: string, re: RegExp) =>
      files.reduce((n, f) => n + [...readFileSync(join(at, f), "utf8").matchAll(re)].length, 0);
    expect(tests).toHaveLength(130);
    expect(count(tests, gen, /^ {2}it\(/gm)).toBe(2000);
    const ranges = py.map((f) =>
      Number(/range\((\d+)\)/.exec(readFileSync(join(dir, "backend/tests/gen", f), "utf8"))?.[1]),
    );
    expect(ranges.reduce((a, b) => a + b, 0)).toBe(1200);
  });

  it("is planned with jest's workers and pytest-xdist, each worker on its own database", async () => {
    const [fe, be] = planFastTests(await readConfig(dir)).jobs;
    expect(
      stepForCores(
        fe.steps.find((s) => s.name === "unit")!,
        2,
      ).argv,
    ).toEqual(["npm", "run", "test:ci", "--", "--maxWorkers=2"]);
    expect(
      stepForCores(
        be.steps.find((s) => s.name === "pytest")!,
        2,
      ).argv.slice(-2),
    ).toEqual(["-n", "2"]);
    expect(Object.keys(be.services[0].env)).toContain("PIPELINE_WORKER_DB_TEMPLATES");
  });

  it("lives in a cache folder named by its sizes", () => {
    expect(fixtureDir(DEFAULT_SIZE, "/c")).toBe("/c/autoauthor-bench/p10-130-2000-2000000-12-40-1200/repo");
  });
});
