import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { E2E_PATHS, E2E_WORK, type E2ePlan } from "../../ci/src/e2ePlan";
import { summarizeE2e, type E2eSummary, type ShardRun } from "../../ci/src/e2eSummary";
import type { Job, Step } from "../../ci/src/plan";
import { displayArgv } from "../../ci/src/plan";
import { parseReport, type PwReport } from "../../ci/src/playwrightReport";
import { parsePytestJunit, type BackendE2eResult } from "../../ci/src/pytestJunit";
import { processExecutor, type StepOutcome } from "./exec";
import { prefixedWriter } from "./prefix";

export interface E2eRunResult {
  summary: E2eSummary;
  /** The merged report directory (html/, results.json, junit.xml) inside the frontend. */
  reportDir: string;
}

/**
 * Run an E2E plan as host processes: install once, then the shards (each its own Playwright
 * process, blob dir and output dir) beside the backend's E2E pytest, then gather the blobs
 * and merge them with Playwright's own merge-reports. A red shard never stops the merge.
 */
export async function runE2ePlan(plan: E2ePlan, sourceDir: string, env: NodeJS.ProcessEnv): Promise<E2eRunResult> {
  const fe = join(sourceDir, plan.mergeJob.workdir);
  const be = join(sourceDir, plan.backendJob.workdir);
  rmSync(join(fe, E2E_WORK), { recursive: true, force: true });
  rmSync(join(be, E2E_PATHS.backendJunit), { force: true });
  await installOnce(plan.mergeJob, fe, env);
  const [shards, backend] = await Promise.all([
    Promise.all(plan.shardJobs.map((job, i) => runShard(job, fe, env, i, plan.assignment.shards[i].files))),
    runBackend(plan.backendJob, be, env, plan.shardJobs.length),
  ]);
  gatherBlobs(fe, shards.length);
  const merge = plan.mergeJob.steps[0];
  await runStep(plan.mergeJob, merge, fe, env, shards.length + 1);
  const summary = summarizeE2e({
    suite: plan.suite,
    mode: plan.assignment.mode,
    modeReason: plan.assignment.reason,
    shards,
    report: readMerged(join(fe, E2E_PATHS.json)),
    backend,
  });
  return { summary, reportDir: join(fe, E2E_PATHS.report) };
}

/** `npm ci` wipes node_modules, so the shards share one install, run only when the lockfile is newer. */
async function installOnce(job: Job, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  const marker = join(cwd, "node_modules/.package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(cwd, "package-lock.json")).mtimeMs) return;
  for (const step of job.install) {
    const r = await runStep(job, step, cwd, env, 0);
    if (r.exitCode !== 0) throw new Error(`${job.name}: ${displayArgv(step.argv)} failed (exit ${r.exitCode}) in ${cwd}`);
  }
}

async function runShard(job: Job, cwd: string, env: NodeJS.ProcessEnv, index: number, files: string[]): Promise<ShardRun> {
  const t = Date.now();
  const r = await runStep(job, job.steps[0], cwd, env, index);
  return { index: index + 1, files, exitCode: r.exitCode, seconds: (Date.now() - t) / 1000 };
}

async function runBackend(job: Job, cwd: string, env: NodeJS.ProcessEnv, index: number): Promise<BackendE2eResult> {
  for (const step of job.install) {
    const r = await runStep(job, step, cwd, env, index);
    if (r.exitCode !== 0) return parsePytestJunit(undefined, r.exitCode);
  }
  const r = await runStep(job, job.steps[0], cwd, env, index);
  const junit = join(cwd, E2E_PATHS.backendJunit);
  return parsePytestJunit(existsSync(junit) ? readFileSync(junit, "utf8") : undefined, r.exitCode);
}

async function runStep(job: Job, step: Step, cwd: string, env: NodeJS.ProcessEnv, index: number): Promise<StepOutcome> {
  const out = prefixedWriter(job.name, index);
  out.write(`$ ${displayArgv(step.argv)}\n`);
  const r = await processExecutor(step, cwd, { ...env, ...job.env, ...step.env }, (s) => out.write(s));
  out.flush();
  return r;
}

/** Copy every shard's blob zip into one folder, as merge-reports wants them. */
function gatherBlobs(fe: string, shards: number): void {
  const into = join(fe, E2E_PATHS.blobs);
  mkdirSync(into, { recursive: true });
  for (let i = 1; i <= shards; i++) {
    const dir = join(fe, E2E_PATHS.blobDir(i));
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".zip"))) copyFileSync(join(dir, f), join(into, f));
  }
}

function readMerged(file: string): PwReport | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return parseReport(readFileSync(file, "utf8"), file);
  } catch {
    return undefined;
  }
}
