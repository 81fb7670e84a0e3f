/**
 * The P10 fixture: a realistic repository generated from examples/library (Next.js + jest, FastAPI + MongoDB), grown
 * to a real suite's size: ~2,000 jest tests in ~130 files over type-heavy modules (a `tsc` that has work to do), and
 * ~1,200 pytest tests that each write and read MongoDB through one shared database, with pytest-xdist declared.
 * Written to a cache folder, never committed; the same sizes give the same files.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import { ROOT } from "../../test/support/example";

/** How big the generated suite is. */
export interface FixtureSize {
  /** jest test files (each with its module under test). */
  jestFiles: number;
  /** jest tests in all. */
  jestTests: number;
  /**
   * Loop iterations of each jest test's work (its CPU cost). 2,000,000 (~57 ns each under jest with v8 coverage,
   * about 0.11 s a test, as the real suite's 235 s for 2,287 tests) makes the seed-style job 5–8 minutes here.
   */
  jestWork: number;
  /** Fields per level of each module's nested model type (tsc's work grows with it). */
  typeWidth: number;
  /** pytest files and tests in all. */
  pytestFiles: number;
  pytestTests: number;
}

export const DEFAULT_SIZE: FixtureSize = {
  jestFiles: 130,
  jestTests: 2000,
  jestWork: 2_000_000,
  typeWidth: 12,
  pytestFiles: 40,
  pytestTests: 1200,
};

const LIBRARY = join(ROOT, "examples/library");
const SKIP = new Set(["node_modules", ".next", ".venv", "coverage", "__pycache__", ".pytest_cache", "next-env.d.ts"]);

/** The default folder: under XDG_CACHE_HOME (or ~/.cache), named by the sizes, so other sizes never collide. */
export function fixtureDir(size: FixtureSize, cacheHome = process.env.XDG_CACHE_HOME): string {
  const key = Object.values(size).join("-");
  return join(cacheHome ?? join(homedir(), ".cache"), "autoauthor-bench", `p10-${key}`, "repo");
}

/** Write the fixture into `dir` (replacing what is there); the caller locks the backend (`uv lock`). */
export function writeFixture(dir: string, size: FixtureSize): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(LIBRARY, dir, { recursive: true, filter: (src) => !SKIP.has(basename(src)) });
  writeFileSync(join(dir, "pipeline.yaml"), PIPELINE_YAML);
  const fe = join(dir, "frontend/lib/gen");
  mkdirSync(fe, { recursive: true });
  writeFileSync(join(fe, "shapes.ts"), SHAPES_TS);
  for (let i = 0; i < size.jestFiles; i++) {
    const tests = share(size.jestTests, size.jestFiles, i);
    writeFileSync(join(fe, `m${i}.ts`), moduleTs(i, size.typeWidth));
    writeFileSync(join(fe, `m${i}.test.ts`), moduleTestTs(i, tests, size.jestWork));
  }
  const be = join(dir, "backend/tests/gen");
  mkdirSync(be, { recursive: true });
  writeFileSync(join(be, "__init__.py"), "");
  writeFileSync(join(be, "conftest.py"), CONFTEST_PY);
  for (let j = 0; j < size.pytestFiles; j++)
    writeFileSync(join(be, `test_gen_${j}.py`), pytestPy(j, share(size.pytestTests, size.pytestFiles, j)));
  const pyproject = join(dir, "backend/pyproject.toml");
  const text = readFileSync(pyproject, "utf8");
  if (!text.includes('"pytest-cov==7.1.0",')) throw new Error(`${pyproject}: no pytest-cov pin to add pytest-xdist by`);
  writeFileSync(pyproject, text.replace('"pytest-cov==7.1.0",', '"pytest-cov==7.1.0",\n    "pytest-xdist==3.8.0",'));
}

/** Whether `dir` holds a complete fixture (its last file written, and the backend locked after it). */
export function fixtureReady(dir: string): boolean {
  return existsSync(join(dir, "backend/uv.lock")) && existsSync(join(dir, ".p10-ready"));
}

/** Mark the fixture complete. */
export function markReady(dir: string): void {
  writeFileSync(join(dir, ".p10-ready"), "");
}

/** The i-th of n near-equal parts of total. */
function share(total: number, n: number, i: number): number {
  return Math.floor(total / n) + (i < total % n ? 1 : 0);
}

// The steps init writes for examples/library (test/contract/init.graph.test.ts), stated so the fixture needs no init.
const PIPELINE_YAML = `frontend:
  steps:
    lint: npm run lint
    typecheck: npm run type-check
    unit: npm run test:ci
    build: npm run build
backend:
  pythonVersion: "3.13"
  extras: [test]
  coverageSource: library
services:
  mongo:
    database: library_test
    env:
      TEST_MONGO_URI: "mongodb://{host}:{port}/{database}"
      MONGODB_URI: "mongodb://{host}:{port}/{database}"
`;

// Recursive mapped, conditional and template-literal types, as a typed API client or a form library has them.
const SHAPES_TS = `export type Depth = [never, 0, 1, 2, 3, 4];
export type Paths<T, D extends number = 4> = [D] extends [never]
  ? never
  : T extends object
    ? { [K in keyof T & string]: K | \`\${K}.\${Paths<T[K], Depth[D]>}\` }[keyof T & string]
    : never;
export type At<T, P extends string> = P extends \`\${infer K}.\${infer R}\`
  ? K extends keyof T
    ? At<T[K], R>
    : never
  : P extends keyof T
    ? T[P]
    : never;
export type DeepReadonly<T> = T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
export type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type Getters<T> = { [K in keyof T & string as \`get\${Capitalize<K>}\`]: () => T[K] };
export type Leaves<T> = { [P in Paths<T>]: At<T, P> extends object ? never : P }[Paths<T>];
`;

function modelType(i: number, width: number): string {
  const level = (d: number): string => {
    const fields = Array.from({ length: width }, (_, f) => {
      const name = `f${d}_${f}`;
      if (d < 3 && f < 2) return `${name}: ${level(d + 1)};`;
      return `${name}: ${["number", "string", "boolean", `"a${i}" | "b${i}" | "c${i}"`][f % 4]};`;
    });
    return `{ ${fields.join(" ")} }`;
  };
  return level(0);
}

function moduleTs(i: number, width: number): string {
  return `import type { At, DeepPartial, DeepReadonly, Getters, Leaves, Paths } from "./shapes";

export type Model${i} = ${modelType(i, width)};
export type Path${i} = Paths<Model${i}>;
export type Leaf${i} = Leaves<Model${i}>;
export type Frozen${i} = DeepReadonly<Model${i}>;
export type Patch${i} = DeepPartial<Model${i}>;
export type Access${i} = Getters<Model${i}>;
export type Deep${i} = At<Model${i}, "f0_0.f1_0.f2_0.f3_0">;

/** Sum of a seeded sequence: the test's CPU work. */
export function work${i}(seed: number, n: number): number {
  let x = seed + ${i};
  let sum = 0;
  for (let k = 0; k < n; k++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    sum = (sum + (x % 1000)) % 1000003;
  }
  return sum;
}

/** Read a dotted path of a plain object. */
export function get${i}(o: Record<string, unknown>, path: Path${i}): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
}

/** Merge a patch into a copy of an object, one level deep per call. */
export function patch${i}<T extends Record<string, unknown>>(o: T, p: Partial<T>): T {
  return { ...o, ...p };
}
`;
}

function moduleTestTs(i: number, tests: number, work: number): string {
  const cases = Array.from({ length: tests }, (_, t) => {
    const body =
      t % 3 === 0
        ? `expect(work${i}(${t}, ${work})).toBe(work${i}(${t}, ${work}));`
        : t % 3 === 1
          ? `expect(get${i}({ f0_0: { f1_0: { f2_0: ${t} } } }, "f0_0.f1_0.f2_0")).toBe(${t});\n    expect(work${i}(${t}, ${Math.floor(work / 2)})).toBeGreaterThanOrEqual(0);`
          : `expect(patch${i}({ a: 1, b: ${t} }, { b: ${t + 1} })).toEqual({ a: 1, b: ${t + 1} });\n    expect(work${i}(${t}, ${Math.floor(work / 2)})).toBeLessThan(1000003);`;
    return `  it("case ${t}", () => {\n    ${body}\n  });`;
  });
  return `import { get${i}, patch${i}, work${i} } from "./m${i}";\n\ndescribe("m${i}", () => {\n${cases.join("\n")}\n});\n`;
}

// One database for the whole suite, as many real suites have: every test empties its collection first.
const CONFTEST_PY = `"""The generated tests share one database, TEST_MONGO_URI's, and empty their collection before each test."""

import os

import pytest
from pymongo import MongoClient


@pytest.fixture(scope="session")
def shared_db():
    with MongoClient(os.environ["TEST_MONGO_URI"], serverSelectionTimeoutMS=5000) as client:
        yield client.get_default_database()


@pytest.fixture()
def items(shared_db):
    shared_db.items.delete_many({})
    yield shared_db.items
`;

function pytestPy(j: number, tests: number): string {
  return `import pytest


@pytest.mark.parametrize("n", range(${tests}))
def test_write_and_read_${j}(items, n):
    items.insert_many([{"file": ${j}, "n": n, "k": k} for k in range(5)])
    items.update_one({"file": ${j}, "n": n, "k": 0}, {"$set": {"seen": True}})
    found = list(items.find({"file": ${j}, "n": n}).sort("k", 1))
    assert [d["k"] for d in found] == [0, 1, 2, 3, 4]
    assert found[0]["seen"] is True
    assert items.count_documents({}) == 5
`;
}
