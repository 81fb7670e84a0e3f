/**
 * Comments cite docs/requirements.md anchors (`docs/requirements.md#R-coverage`), not section numbers or issue
 * numbers of documents a reader cannot open; a file a comment names exists; no module keeps re-exports left from a
 * split (importers import from where a name is defined).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const SECTION = "\u00a7";

/** Tracked files under the given folders (the checkout's own files, never node_modules or build output). */
function tracked(...dirs: string[]): string[] {
  return execFileSync("git", ["ls-files", "-z", "--", ...dirs], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter((f) => f && existsSync(join(ROOT, f)));
}

const TEXT = /\.(ts|mts|cts|js|cjs|mjs|sh|py|java|json|ya?ml|toml|md|txt)$/;
const SOURCES = tracked("ci", "scripts", "test", "bench").filter((f) => TEXT.test(f));

/** Lines holding a section sign, as `path:line: text`. */
export function sectionSigns(files: Record<string, string>): string[] {
  return Object.entries(files).flatMap(([f, text]) =>
    text.split("\n").flatMap((l, i) => (l.includes(SECTION) ? [`${f}:${i + 1}: ${l.trim()}`] : [])),
  );
}

/** Lines citing an issue by number ("issue 13", "Issue #6"). */
export function issueNumbers(files: Record<string, string>): string[] {
  return Object.entries(files).flatMap(([f, text]) =>
    text.split("\n").flatMap((l, i) => (/\bissues? #?\d+\b/i.test(l) ? [`${f}:${i + 1}: ${l.trim()}`] : [])),
  );
}

/** `.ts` files named in comments that exist nowhere in the checkout. */
export function missingNamedFiles(files: Record<string, string>, known: Set<string>): string[] {
  return Object.entries(files).flatMap(([f, text]) =>
    text.split("\n").flatMap((l, i) => {
      if (!/^\s*(\/\/|\/\*|\*)/.test(l)) return [];
      const named = [...l.matchAll(/[\w./-]*\w\.ts\b/g)].map((m) => basename(m[0]));
      return named.filter((n) => !/\.(spec|d)\.ts$/.test(n) && !known.has(n)).map((n) => `${f}:${i + 1}: ${n}`);
    }),
  );
}

/** `export … from` lines: a module passing on another module's names. */
export function reExports(files: Record<string, string>): string[] {
  return Object.entries(files).flatMap(([f, text]) =>
    text.split("\n").flatMap((l, i) => (/^export (\*|(type )?\{[^}]*\}) from /.test(l) ? [`${f}:${i + 1}: ${l}`] : [])),
  );
}

const read = (list: string[]) => Object.fromEntries(list.map((f) => [f, readFileSync(join(ROOT, f), "utf8")]));

describe("comments cite the requirements page", () => {
  it("no source or test file under ci/, scripts/, test/, bench/ holds a section sign", () => {
    expect(SOURCES.length).toBeGreaterThan(100);
    expect(sectionSigns(read(SOURCES))).toEqual([]);
  });

  it("no source or test file cites an issue by number", () => {
    // This file's own fixtures cite issue numbers on purpose.
    expect(issueNumbers(read(SOURCES.filter((f) => f !== "test/unit/comments.test.ts")))).toEqual([]);
  });

  it("(the checks) catch a section sign and an issue number, and leave an upstream reference alone", () => {
    const files = {
      "a.ts": `/** Seed ${SECTION}9.1: p95 > 5 s. */`,
      "b.ts": "// the watch window (issue 13)\n// dagger/dagger#7276 splits digits",
    };
    expect(sectionSigns(files)).toEqual([`a.ts:1: /** Seed ${SECTION}9.1: p95 > 5 s. */`]);
    expect(issueNumbers(files)).toEqual(["b.ts:1: // the watch window (issue 13)"]);
  });

  it("every docs/requirements.md anchor a file cites exists on the page", () => {
    const page = readFileSync(join(ROOT, "docs/requirements.md"), "utf8");
    const anchors = new Set([...page.matchAll(/^<a id="(R-[\w-]+)"><\/a>$/gm)].map((m) => m[1]));
    expect([...page.matchAll(/^### (R-[\w-]+)$/gm)].map((m) => m[1])).toEqual([...anchors]);
    const cited = Object.entries(read(SOURCES)).flatMap(([f, text]) =>
      [...text.matchAll(/requirements\.md#(R-[\w-]+)((?:, R-[\w-]+)*)/g)].flatMap((m) =>
        [m[1], ...m[2].split(", ").filter(Boolean)].map((a) => ({ f, a })),
      ),
    );
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter((c) => !anchors.has(c.a))).toEqual([]);
  });
});

/** Files of upstream code that comments name on purpose: they are not in this checkout. */
const UPSTREAM_FILES = [
  "errors-codes.ts", // @dagger.io/dagger src/common/errors/
  "ast.ts", // the Dagger TypeScript SDK's introspector
];

describe("no stale comments or shims", () => {
  const code = tracked("ci/src", "scripts", "bench").filter(
    (f) => f.endsWith(".ts") && !f.startsWith("scripts/engine-lab/"),
  );

  it("every .ts file a comment in ci/src, scripts or bench names exists", () => {
    const known = new Set([...tracked(".").map((f) => basename(f)), ...UPSTREAM_FILES]);
    expect(missingNamedFiles(read(code), known)).toEqual([]);
  });

  it("no module re-exports another's names", () => {
    expect(reExports(read(code))).toEqual([]);
  });

  it("(the checks) catch a renamed file and a shim", () => {
    const files = { "c.ts": "/**\n * from planRun.ts (see rules.ts)\n */\nexport { toArgv } from './schema';\n" };
    expect(missingNamedFiles(files, new Set(["rules.ts"]))).toEqual(["c.ts:2: planRun.ts"]);
    expect(reExports(files)).toEqual(["c.ts:4: export { toArgv } from './schema';"]);
  });
});
