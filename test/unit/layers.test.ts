/**
 * The layers, enforced (like Playwright's DEPS.list): what each folder may import.
 *   ci/src/plan/    pure: only plan/ files, `yaml`, `smol-toml` and `valibot`; no fetch, no process, no clock reads
 *   ci/src/flow/    each stage's order of steps over ports: only plan/ and flow/; every effect is a port
 *   ci/src/io/      shared I/O without Dagger or zx
 *   ci/src/dagger/  the Dagger runner: never zx, child processes or the host runner
 *   scripts/host/   the host runner: never @dagger.io/dagger or the Dagger runner
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

interface Rule {
  folder: string;
  /** Returns why an import (resolved to a repo path, or a package name) is not allowed, or undefined. */
  forbid: (target: string) => string | undefined;
  /** Source patterns that are I/O even without an import. */
  forbidCode?: RegExp[];
}

const PLAN_ALLOWED_PACKAGES = new Set(["yaml", "smol-toml", "valibot"]);
const RULES: Rule[] = [
  {
    folder: "ci/src/plan",
    forbid: (t) =>
      t.startsWith("ci/src/plan/")
        ? undefined
        : PLAN_ALLOWED_PACKAGES.has(t)
          ? undefined
          : `plan/ is pure; it may not import ${t}`,
    forbidCode: [/\bfetch\(/, /\bprocess\./, /\bDate\.now\(/, /\bnew Date\(\)/, /\brequire\(/],
  },
  {
    folder: "ci/src/flow",
    forbid: (t) =>
      t.startsWith("ci/src/plan/") || t.startsWith("ci/src/flow/")
        ? undefined
        : `flow/ runs over ports; it may not import ${t}`,
    forbidCode: [/\bfetch\(/, /\bprocess\./, /\bDate\.now\(/, /\bnew Date\(\)/, /\bsetTimeout\(/, /\brequire\(/],
  },
  {
    folder: "ci/src/io",
    forbid: (t) =>
      /^(zx|@dagger\.io\/dagger|node:child_process)$/.test(t) ||
      t.startsWith("scripts/") ||
      t.startsWith("ci/src/dagger/")
        ? `io/ may not import ${t}`
        : undefined,
  },
  {
    folder: "ci/src/dagger",
    forbid: (t) =>
      /^(zx|node:child_process|dotenv)$/.test(t) || t.startsWith("scripts/")
        ? `the Dagger runner may not import ${t}`
        : undefined,
  },
  {
    folder: "scripts/host",
    forbid: (t) =>
      t === "@dagger.io/dagger" || t.startsWith("ci/src/dagger/") || t === "ci/src/index.ts"
        ? `the host runner may not import ${t}`
        : undefined,
  },
];

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** The import targets of a TypeScript source: repo-relative paths for relative imports, else package names. */
export function importsOf(file: string, text: string): string[] {
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g)].map((m) => m[1]);
  return specs.map((s) => (s.startsWith(".") ? relative(ROOT, resolve(ROOT, dirname(file), s)) + ".ts" : s));
}

/** Every broken rule in one file's text. */
export function violations(rule: Rule, file: string, text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  const bad = importsOf(file, code).flatMap((t) => rule.forbid(t.replace(/\.ts\.ts$/, ".ts")) ?? []);
  const layer = rule.folder.split("/").at(-1);
  for (const re of rule.forbidCode ?? []) if (re.test(code)) bad.push(`${layer}/ may not use ${re.source}`);
  return bad.map((b) => `${file}: ${b}`);
}

describe("layers", () => {
  for (const rule of RULES) {
    it(`${rule.folder} imports only what its layer allows`, () => {
      const files = filesUnder(rule.folder);
      expect(files.length).toBeGreaterThan(0);
      expect(files.flatMap((f) => violations(rule, f, readFileSync(join(ROOT, f), "utf8")))).toEqual([]);
    });
  }

  it("catches a plan file that reads the disk, spawns, fetches or imports the Dagger SDK", () => {
    const plan = RULES[0];
    const f = "ci/src/plan/e2e/bad.ts";
    expect(violations(plan, f, `import { readFileSync } from "node:fs";`)).toHaveLength(1);
    expect(violations(plan, f, `import { $ } from "zx";`)).toHaveLength(1);
    expect(violations(plan, f, `import { dag } from "@dagger.io/dagger";`)).toHaveLength(1);
    expect(violations(plan, f, `import { x } from "../../dagger/job";`)).toEqual([
      `${f}: plan/ is pure; it may not import ci/src/dagger/job.ts`,
    ]);
    expect(violations(plan, f, `export const get = (u: string) => fetch(u);`)).toHaveLength(1);
    expect(violations(plan, f, `import { planE2e } from "./stage"; // fetch(x) in a comment is fine`)).toEqual([]);
  });

  it("catches a flow that imports a runner or does I/O itself instead of through a port", () => {
    const flow = RULES[1];
    const f = "ci/src/flow/bad.ts";
    expect(violations(flow, f, `import { runStage } from "../dagger/stage";`)).toEqual([
      `${f}: flow/ runs over ports; it may not import ci/src/dagger/stage.ts`,
    ]);
    expect(violations(flow, f, `import { readFile } from "node:fs/promises";`)).toHaveLength(1);
    expect(violations(flow, f, `const t = Date.now();`)).toHaveLength(1);
    expect(violations(flow, f, `import { planE2e } from "../plan/e2e/stage";`)).toEqual([]);
  });

  it("catches the host runner importing the Dagger SDK", () => {
    expect(violations(RULES[4], "scripts/host/x.ts", `import { dag } from "@dagger.io/dagger";`)).toHaveLength(1);
  });
});
