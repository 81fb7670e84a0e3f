/**
 * The layout, enforced: the test tree mirrors the source tree, so a module's test is found from its path,
 * and scripts/ holds folders by role with only thin entry points loose.
 *
 *   test/{unit,integration}/plan/x/y.test.ts   ↔ ci/src/plan/x/y.ts      (also flow/, dagger/, io/)
 *   test/{unit,integration}/host/z.test.ts     ↔ scripts/host/z.ts       (also deploy/, stand-ins/)
 *   test/integration/pipeline.test.ts          ↔ scripts/pipeline.ts     (a loose entry point)
 *   test/unit/support/s.test.ts                ↔ test/support/s.ts       (the tests' own helpers)
 *   test/bench/support/r.test.ts               ↔ bench/support/r.ts
 * Several test files per source: `deploy.faults.test.ts`, `deploy.watch.test.ts` … all test `deploy.ts` (the part
 * after the first dot names the facet). A source may be a folder
 * (`stand-ins/mongo.test.ts` ↔ `scripts/stand-ins/mongo/`).
 * test/contract is named after the Dagger function it records (`fastTests.graph.test.ts` ↔ `dagger call fast-tests`),
 * so it is outside this rule.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

/** Tests of the repository as a whole, not of one source file. */
const REPOSITORY_CHECKS = new Set([
  "test/unit/cliNames.test.ts",
  "test/unit/comments.test.ts",
  "test/unit/layers.test.ts",
  "test/unit/layout.test.ts",
  "test/unit/modulePackage.test.ts",
  "test/unit/names.test.ts",
  "test/unit/moduleSdkImports.test.ts",
  "test/unit/requirements.test.ts",
  "test/unit/workflows.test.ts",
]);

/** Where each mirrored test tree looks for its sources, in order. */
const SOURCE_ROOTS: Record<string, string[]> = {
  "test/unit": ["ci/src", "scripts", "test"],
  "test/integration": ["ci/src", "scripts"],
  "test/bench": ["bench"],
};

/** The role folders of scripts/; anything else there is a loose entry point or setup.sh. */
const SCRIPT_ROLES = ["deploy", "engine-lab", "host", "stand-ins", "workflows"];

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The source paths a test file may mirror (file or folder), relative to the repository. */
export function mirroredSources(testPath: string): string[] {
  const tree = Object.keys(SOURCE_ROOTS).find((t) => testPath.startsWith(`${t}/`));
  if (!tree || !testPath.endsWith(".test.ts")) return [];
  const rest = testPath.slice(tree.length + 1, -".test.ts".length);
  const dir = rest.includes("/") ? rest.slice(0, rest.lastIndexOf("/") + 1) : "";
  const module = rest.slice(dir.length).split(".")[0];
  return SOURCE_ROOTS[tree].flatMap((root) => [`${root}/${dir}${module}.ts`, `${root}/${dir}${module}`]);
}

/** The test files of the mirrored trees that name no existing source. */
export function unmirroredTests(root: string): string[] {
  const tests = Object.keys(SOURCE_ROOTS)
    .flatMap((t) => walk(join(root, t)))
    .map((f) => relative(root, f))
    .filter((f) => f.endsWith(".test.ts") && !REPOSITORY_CHECKS.has(f));
  return tests.filter((t) => !mirroredSources(t).some((s) => existsSync(join(root, s)))).sort();
}

describe("the test tree mirrors the source tree", () => {
  it("maps a test path to the source it tests, a facet and a folder included", () => {
    expect(mirroredSources("test/unit/plan/deploy/stage.test.ts")).toContain("ci/src/plan/deploy/stage.ts");
    expect(mirroredSources("test/integration/host/deploy.faults.test.ts")).toContain("scripts/host/deploy.ts");
    expect(mirroredSources("test/integration/stand-ins/mongo.test.ts")).toContain("scripts/stand-ins/mongo");
    expect(mirroredSources("test/integration/pipeline.test.ts")).toContain("scripts/pipeline.ts");
    expect(mirroredSources("test/bench/support/stats.test.ts")).toEqual([
      "bench/support/stats.ts",
      "bench/support/stats",
    ]);
    expect(mirroredSources("test/contract/fastTests.graph.test.ts")).toEqual([]);
  });

  it("every test file under test/unit, test/integration and test/bench names a source that exists", () => {
    expect(
      unmirroredTests(ROOT),
      "git mv each to the path of the source it tests (see this file's header), or, for a check of the whole " +
        "repository, add it to REPOSITORY_CHECKS in test/unit/layout.test.ts",
    ).toEqual([]);
  });

  it("(the check) names a test whose source is gone, and passes a facet, a folder and a repository check", () => {
    const dir = mkdtempSync(join(tmpdir(), "layout-"));
    try {
      const touch = (f: string) => {
        mkdirSync(join(dir, dirname(f)), { recursive: true });
        writeFileSync(join(dir, f), "");
      };
      for (const f of [
        "ci/src/plan/deploy/stage.ts",
        "scripts/host/deploy.ts",
        "scripts/stand-ins/mongo/pom.xml",
        "test/unit/plan/deploy/stage.test.ts",
        "test/unit/plan/deploy/afterSwitch.test.ts",
        "test/integration/host/deploy.faults.test.ts",
        "test/integration/host/alerts.test.ts",
        "test/integration/stand-ins/mongo.test.ts",
        "test/unit/layers.test.ts",
      ])
        touch(f);
      expect(unmirroredTests(dir)).toEqual([
        "test/integration/host/alerts.test.ts",
        "test/unit/plan/deploy/afterSwitch.test.ts",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("scripts/ holds folders by role and only thin entry points loose", () => {
  const entries = readdirSync(join(ROOT, "scripts"));

  it("has no folder but the host runner, the deploy tasks, the engine lab, the stand-ins and the workflow replay", () => {
    const folders = entries.filter((e) => statSync(join(ROOT, "scripts", e)).isDirectory()).sort();
    expect(folders).toEqual(SCRIPT_ROLES);
  });

  it("keeps every loose script an entry point: it exports nothing, so no module imports it", () => {
    const loose = entries.filter((e) => e.endsWith(".ts"));
    expect(loose.length).toBeGreaterThan(0);
    for (const f of loose) {
      expect(readFileSync(join(ROOT, "scripts", f), "utf8"), `scripts/${f}`).not.toMatch(/^export /m);
    }
  });
});

describe("ci/src/index.ts, the module's front door", () => {
  const text = readFileSync(join(ROOT, "ci/src/index.ts"), "utf8");

  it("stays a list of functions a newcomer reads at once: at most 400 lines", () => {
    expect(text.split("\n").length - 1).toBeLessThanOrEqual(400);
  });

  it("does no work of its own: every function body returns what a dagger/ runner gives", () => {
    const bodies = [...text.matchAll(/^ {2}async \w+\([\s\S]*?\): Promise<[^>]+> \{\n([\s\S]*?)\n {2}\}$/gm)];
    expect(bodies.length).toBeGreaterThanOrEqual(15);
    for (const [, body] of bodies)
      expect(body.split("\n").at(-1)?.trim()).toMatch(/^return (await )?run\w+\(|^return stagingCommitOf\(/);
  });
});
