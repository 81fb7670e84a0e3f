/**
 * The engine lab's driver: runs the module's real `Ci` class (ci/src/index.ts) as a Dagger client against the lab's
 * engine, step by step, and writes the results (results.ts). Run by lab.sh under the CLI, which opens the session:
 *   dagger run npx tsx scripts/engine-lab/driver.ts        (ENGINE_LAB_ONLY=fast,git,e2e,deploy picks groups)
 * Module loading is not exercised: see docs/engine-lab.md.
 */
import { connection } from "@dagger.io/dagger";
import type { Ci } from "../../ci/src/index";
import { firstErrorLine, writeResults, type StepResult } from "./results";
import { deploySteps } from "./steps/deploy";
import { e2eSteps } from "./steps/e2e";
import { fastTestsSteps } from "./steps/fastTests";
import { gitSteps } from "./steps/git";
import { labCi } from "./steps/sources";

/** A named call of the module; `run` returns a short note for the results table. */
export interface LabStep {
  step: string;
  call: string;
  run(): Promise<string>;
}

/** A group of steps sharing a setup (a started server) that is torn down after them. */
export interface StepGroup {
  name: string;
  steps(ci: Ci): Promise<{ steps: LabStep[]; stop(): Promise<void> }>;
}

const GROUPS: StepGroup[] = [fastTestsSteps, gitSteps, e2eSteps, deploySteps];

function log(s: string): void {
  console.log(`engine-lab ${new Date().toISOString().slice(11, 19)} ${s}`);
}

async function runStep(s: LabStep): Promise<StepResult> {
  log(`${s.step}: ${s.call} ...`);
  const t = performance.now();
  const seconds = () => (performance.now() - t) / 1000;
  try {
    const note = await s.run();
    log(`${s.step} passed (${seconds().toFixed(1)} s) ${note}`);
    return { step: s.step, call: s.call, status: "passed", seconds: seconds(), note };
  } catch (e) {
    const firstError = firstErrorLine(e);
    log(`${s.step} FAILED (${seconds().toFixed(1)} s): ${firstError}`);
    if (process.env.ENGINE_LAB_VERBOSE) console.log(e);
    return { step: s.step, call: s.call, status: "failed", seconds: seconds(), firstError };
  }
}

async function runGroup(g: StepGroup, ci: Ci): Promise<StepResult[]> {
  const out: StepResult[] = [];
  let setup: Awaited<ReturnType<StepGroup["steps"]>>;
  try {
    setup = await g.steps(ci);
  } catch (e) {
    log(`${g.name}: setup FAILED: ${firstErrorLine(e)}`);
    return [{ step: g.name, call: "setup", status: "failed", seconds: 0, firstError: firstErrorLine(e) }];
  }
  try {
    for (const s of setup.steps) out.push(await runStep(s));
  } finally {
    await setup.stop();
  }
  return out;
}

const only = (process.env.ENGINE_LAB_ONLY ?? "").split(",").filter(Boolean);
const started = new Date().toISOString();
const results: StepResult[] = [];
await connection(async () => {
  const ci = labCi();
  for (const g of GROUPS) if (!only.length || only.includes(g.name)) results.push(...(await runGroup(g, ci)));
});
const md = writeResults(results, { startedAt: started, finishedAt: new Date().toISOString() });
console.log(md);
process.exitCode = results.some((r) => r.status === "failed") ? 1 : 0;
