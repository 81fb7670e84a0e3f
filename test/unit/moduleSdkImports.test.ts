/**
 * In `dagger call` the module imports `@dagger.io/dagger` from the bundled module SDK the engine's runtime generates
 * (runtime/tsutils/module/index.ts + client.gen.ts), which exports far fewer values than the npm package that client
 * mode and the contract tests load: a value import missing there only fails when the engine loads the module
 * ("does not provide an export named ..."). The list is generated from the v0.21.8 source (see its "//" lines).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { moduleSdkExports } from "../../scripts/engine-lab/moduleSdkExports";

const CI_SRC = resolve(import.meta.dirname, "../../ci/src");
const LIST = resolve(import.meta.dirname, "../support/moduleSdkExports.json");
const exportsOf = (): string[] => (JSON.parse(readFileSync(LIST, "utf8")) as { values: string[] }).values;

/** `file: name` for every value (not type-only) imported or re-exported from `@dagger.io/dagger` in one file. */
function sdkValueImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const s of ts.createSourceFile(file, text, ts.ScriptTarget.Latest).statements) {
    const spec = (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec) || spec.text !== "@dagger.io/dagger") continue;
    if (ts.isImportDeclaration(s)) {
      const c = s.importClause;
      if (!c || c.isTypeOnly) continue;
      if (c.name) out.push(`${file}: default`);
      const b = c.namedBindings;
      if (b && ts.isNamespaceImport(b)) out.push(`${file}: * as ${b.name.text}`);
      else
        b?.elements
          .filter((e) => !e.isTypeOnly)
          .forEach((e) => out.push(`${file}: ${(e.propertyName ?? e.name).text}`));
    } else if (!s.isTypeOnly) {
      const c = s.exportClause;
      if (!c || !ts.isNamedExports(c)) out.push(`${file}: *`);
      else
        c.elements.filter((e) => !e.isTypeOnly).forEach((e) => out.push(`${file}: ${(e.propertyName ?? e.name).text}`));
    }
  }
  return out;
}

const ciFiles = () =>
  readdirSync(CI_SRC, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .sort();

describe("ci/src imports from @dagger.io/dagger", () => {
  it("only values the bundled module SDK exports (v0.21.8), so `dagger call` can load the module", () => {
    const known = new Set(exportsOf());
    const imported = ciFiles().flatMap((f) => sdkValueImports(f, readFileSync(join(CI_SRC, f), "utf8")));
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((i) => !known.has(i.slice(i.indexOf(": ") + 2)))).toEqual([]);
  });

  it("sees value imports, renamed ones and re-exports, and skips type-only ones", () => {
    const src = [
      'import { dag, ExecError as E, type Container } from "@dagger.io/dagger";',
      'import type { Directory } from "@dagger.io/dagger";',
      'export { ReturnType } from "@dagger.io/dagger";',
      'import * as sdk from "@dagger.io/dagger";',
    ].join("\n");
    expect(sdkValueImports("x.ts", src)).toEqual([
      "x.ts: dag",
      "x.ts: ExecError",
      "x.ts: ReturnType",
      "x.ts: * as sdk",
    ]);
  });
});

describe("the committed list of bundled module SDK exports", () => {
  const sdk = join(process.env.ENGINE_LAB_CACHE ?? join(homedir(), ".cache/engine-lab"), "src/sdk-typescript");

  it("holds the module index's own names and not ExecError (the npm package's extra)", () => {
    const list = exportsOf();
    expect(list).toEqual(expect.arrayContaining(["dag", "func", "object", "argument", "Container", "ReturnType"]));
    expect(list).not.toContain("ExecError");
  });

  it.skipIf(!existsSync(join(sdk, "runtime/tsutils/module/index.ts")))("matches the fetched v0.21.8 source", () => {
    expect(moduleSdkExports(sdk)).toEqual(exportsOf());
  });
});
