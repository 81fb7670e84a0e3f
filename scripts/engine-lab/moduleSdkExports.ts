/**
 * The values a Dagger module can import from `@dagger.io/dagger` in module mode: the runtime writes the bundled
 * SDK's `runtime/tsutils/module/index.ts` as the module's sdk/index.ts, which re-exports a few names from core.js
 * and everything from a client.gen.ts generated for the engine's schema (the same generator and schema as the
 * SDK's own src/api/client.gen.ts at that tag). Types are erased at load, so only values matter.
 *   npx tsx scripts/engine-lab/moduleSdkExports.ts <sdk/typescript dir>   # prints the JSON committed as
 *   test/support/moduleSdkExports.json (the lab's fetch-sdk.sh leaves the dir in $ENGINE_LAB_CACHE/src/sdk-typescript)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const parse = (file: string) => ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
const exported = (n: ts.Node) =>
  ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Value names a file exports: `export { a, b } from` (not `export type`) and exported classes/enums/consts. */
export function valueExports(file: string): { names: string[]; star: string[] } {
  const names: string[] = [];
  const star: string[] = [];
  for (const s of parse(file).statements) {
    if (ts.isExportDeclaration(s) && !s.isTypeOnly) {
      const from = s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : "";
      if (!s.exportClause) star.push(from);
      else if (ts.isNamedExports(s.exportClause))
        names.push(...s.exportClause.elements.filter((e) => !e.isTypeOnly).map((e) => e.name.text));
    } else if ((ts.isClassDeclaration(s) || ts.isEnumDeclaration(s) || ts.isFunctionDeclaration(s)) && exported(s)) {
      if (s.name) names.push(s.name.text);
    } else if (ts.isVariableStatement(s) && exported(s)) {
      names.push(...s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : [])));
    }
  }
  return { names, star };
}

/** The module-mode export list for one sdk/typescript checkout. */
export function moduleSdkExports(sdk: string): string[] {
  const index = valueExports(join(sdk, "runtime/tsutils/module/index.ts"));
  if (index.star.join() !== "./client.gen.js") throw new Error(`index.ts re-exports ${index.star.join()}: re-check`);
  const client = valueExports(join(sdk, "src/api/client.gen.ts"));
  return [...new Set([...index.names, ...client.names])].sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sdk = process.argv[2];
  if (!sdk) throw new Error("usage: moduleSdkExports.ts <sdk/typescript dir at v0.21.8>");
  const doc = {
    "//": [
      "Values the bundled module SDK (dagger/dagger sdk/typescript at v0.21.8) exports to a module in `dagger call`:",
      "runtime/tsutils/module/index.ts plus src/api/client.gen.ts. Regenerate from that tag's sdk/typescript:",
      "npx tsx scripts/engine-lab/moduleSdkExports.ts ~/.cache/engine-lab/src/sdk-typescript",
    ],
    tag: "v0.21.8",
    values: moduleSdkExports(sdk),
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}
