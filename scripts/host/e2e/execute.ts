import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { E2E_PATHS, E2E_WORK, type E2ePlan } from "../../../ci/src/plan/e2e/stage";
import { blobShardRuns } from "../../../ci/src/plan/e2e/split";
import { summarizeE2e, type E2eSummary, type ShardRun } from "../../../ci/src/plan/e2e/summary";
import type { Job, Step } from "../../../ci/src/plan/job";
import { displayArgv } from "../../../ci/src/plan/job";
import { repositoryEnv } from "../../../ci/src/plan/env";
import { parseReport, type PwReport } from "../../../ci/src/plan/e2e/playwrightReport";
import { parsePytestJunit, type BackendE2eResult } from "../../../ci/src/plan/e2e/pytestJunit";
import { processExecutor, type StepOutcome } from "../exec";
import { prefixedWriter } from "../prefix";

export interface E2eRunResult {
  summary: E2eSummary;
  /** The merged report directory (html/, results.json, junit.xml) inside the frontend. */
  reportDir: string;
}

/**
 * Run an E2E plan as host processes: install once, then the shards (each its own Playwright
 * process, blob dir and output dir) beside the backend's E2E pytest, then gather the blobs
 * and merge them with Playwright's own merge-reports. A red shard never stops the merge.
 * The same builders run one shard alone (runShardAlone) and the merge alone (runMergeAlone).
 */
export async function runE2ePlan(plan: E2ePlan, sourceDir: string, env: NodeJS.ProcessEnv): Promise<E2eRunResult> {
  const { fe, be } = dirsOf(plan, sourceDir);
  rmSync(join(fe, E2E_WORK), { recursive: true, force: true });
  rmSync(join(be, E2E_PATHS.backendJunit), { force: true });
  await installOnce(plan.mergeJob, fe, env);
  const [shards, backend] = await Promise.all([
    Promise.all(plan.shardJobs.map((_, i) => runShard(plan, i + 1, fe, env))),
    runBackend(plan.backendJob, be, env, plan.shardJobs.length),
  ]);
  return mergeAndSummarise(plan, fe, env, {
    blobDirs: shards.map((s) => join(fe, E2E_PATHS.blobDir(s.index))),
    shards,
    backend,
    problems: [],
  });
}

/**
 * Run shard `index` of the plan alone, as one CI machine would; return its run and its blob zip (absent if Playwright
 * wrote none).
 */
export async function runShardAlone(
  plan: E2ePlan,
  index: number,
  sourceDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ run: ShardRun; blob?: string }> {
  const { fe } = dirsOf(plan, sourceDir);
  for (const d of [E2E_PATHS.blobDir(index), E2E_PATHS.resultsDir(index)])
    rmSync(join(fe, d), { recursive: true, force: true });
  await installOnce(plan.mergeJob, fe, env);
  const run = await runShard(plan, index, fe, env);
  const blob = join(fe, E2E_PATHS.blobDir(index), E2E_PATHS.blobName(index));
  return { run, blob: existsSync(blob) ? blob : undefined };
}

/** Merge the blob zips in `blobsDir` (from other machines) beside the backend E2E, as e2e's merge does. */
export async function runMergeAlone(
  plan: E2ePlan,
  blobsDir: string,
  total: number,
  sourceDir: string,
  env: NodeJS.ProcessEnv,
): Promise<E2eRunResult> {
  const { fe, be } = dirsOf(plan, sourceDir);
  for (const d of [E2E_PATHS.blobs, E2E_PATHS.report]) rmSync(join(fe, d), { recursive: true, force: true });
  rmSync(join(be, E2E_PATHS.backendJunit), { force: true });
  const { runs, problems } = blobShardRuns(plan, existsSync(blobsDir) ? readdirSync(blobsDir) : [], total);
  await installOnce(plan.mergeJob, fe, env);
  const backend = await runBackend(plan.backendJob, be, env, 1);
  return mergeAndSummarise(plan, fe, env, { blobDirs: [blobsDir], shards: runs, backend, problems });
}

function dirsOf(plan: E2ePlan, sourceDir: string): { fe: string; be: string } {
  return { fe: join(sourceDir, plan.mergeJob.workdir), be: join(sourceDir, plan.backendJob.workdir) };
}

async function mergeAndSummarise(
  plan: E2ePlan,
  fe: string,
  env: NodeJS.ProcessEnv,
  r: { blobDirs: string[]; shards: ShardRun[]; backend: BackendE2eResult; problems: string[] },
): Promise<E2eRunResult> {
  gatherBlobs(fe, r.blobDirs);
  await runStep(plan.mergeJob, plan.mergeJob.steps[0], fe, env, plan.shardJobs.length + 1);
  const summary = summarizeE2e({
    suite: plan.suite,
    mode: plan.assignment.mode,
    modeReason: plan.assignment.reason,
    shards: r.shards,
    report: readMerged(join(fe, E2E_PATHS.json)),
    backend: r.backend,
    problems: r.problems,
  });
  return { summary, reportDir: join(fe, E2E_PATHS.report) };
}

/** `npm ci` wipes node_modules, so the shards share one install, run only when the lockfile is newer. */
async function installOnce(job: Job, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  const marker = join(cwd, "node_modules/.package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(cwd, "package-lock.json")).mtimeMs) return;
  for (const step of job.install) {
    const r = await runStep(job, step, cwd, env, 0);
    if (r.exitCode !== 0)
      throw new Error(`${job.name}: ${displayArgv(step.argv)} failed (exit ${r.exitCode}) in ${cwd}`);
  }
}

/** Run shard `index` (1-based) of the plan: its one Playwright step, timed. */
async function runShard(plan: E2ePlan, index: number, cwd: string, env: NodeJS.ProcessEnv): Promise<ShardRun> {
  const job = plan.shardJobs[index - 1];
  const t = Date.now();
  const r = await runStep(job, job.steps[0], cwd, env, index - 1);
  return {
    index,
    files: plan.assignment.shards[index - 1].files,
    exitCode: r.exitCode,
    seconds: (Date.now() - t) / 1000,
  };
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
  const r = await processExecutor(step, cwd, repositoryEnv(env, job.env, step.env), (s) => out.write(s));
  out.flush();
  return r;
}

/** Copy every blob zip of the given dirs into one folder, as merge-reports wants them. */
function gatherBlobs(fe: string, dirs: string[]): void {
  const into = join(fe, E2E_PATHS.blobs);
  mkdirSync(into, { recursive: true });
  for (const dir of dirs) {
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
