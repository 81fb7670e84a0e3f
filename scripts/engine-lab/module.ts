/**
 * The engine lab's module-mode phase: types, from the repository root, the `dagger functions` and `dagger call`
 * lines the README and the workflows print, against the lab's engine with the builtin SDK content (build-sdk.sh),
 * so the engine loads ci/ as a module (decorators, bundled SDK, CLI flag parsing, secrets, export, exit codes).
 *   npx tsx scripts/engine-lab/module.ts
 *   (lab.sh module; ENGINE_LAB_MODULE_ONLY=load,fast,git,e2e,deploy,quality,help;
 *   ENGINE_LAB_RUNS warm repeats, default 3)
 * Writes $ENGINE_LAB_OUT/module.json and re-renders results.md (results.ts).
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { labOut, writeModuleResults } from "./results";
import { fastRows, gitRows, helpRows, loadRows, scratchDir } from "./module/rows";
import { qualityRows } from "./module/qualityRows";
import { deployRows, e2eRows, type RowGroup } from "./module/serverRows";
import { runRow, type RowResult } from "./module/typed";

function log(s: string): void {
  console.log(`engine-lab ${new Date().toISOString().slice(11, 19)} ${s}`);
}

const only = (process.env.ENGINE_LAB_MODULE_ONLY ?? "").split(",").filter(Boolean);
const runs = Number(process.env.ENGINE_LAB_RUNS ?? 3);
const scratch = scratchDir();
const results: RowResult[] = [];
const started = new Date().toISOString();

async function group(name: string, make: () => Promise<RowGroup> | RowGroup): Promise<void> {
  if (only.length && !only.includes(name)) return;
  let g: RowGroup;
  try {
    g = await make();
  } catch (e) {
    const line = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    log(`${name}: setup FAILED: ${line}`);
    results.push({ row: name, command: "setup", expect: 0, exit: -1, seconds: 0, status: "failed", firstLine: line });
    return;
  }
  try {
    for (const r of g.rows) results.push(await runRow(r, log));
  } finally {
    await g.stop();
    writeModuleResults(results, { startedAt: started, finishedAt: new Date().toISOString() });
  }
}

const none = async () => {};
try {
  await group("load", () => ({ rows: loadRows(runs), stop: none }));
  await group("fast", () => ({ rows: fastRows(runs, scratch), stop: none }));
  await group("git", () => ({ rows: gitRows(scratch), stop: none }));
  await group("e2e", () => e2eRows(scratch));
  await group("deploy", () => deployRows(scratch));
  await group("quality", () => qualityRows(scratch));
  await group("help", () => ({
    rows: helpRows(readFileSync(join(labOut(), "module/functions-cold.stdout"), "utf8")),
    stop: none,
  }));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const md = writeModuleResults(results, { startedAt: started, finishedAt: new Date().toISOString() });
console.log(md);
process.exitCode = results.some((r) => r.status === "failed") ? 1 : 0;
