import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { E2ePorts, ShardEnd } from "../../../ci/src/flow/e2e";
import { repositoryEnv } from "../../../ci/src/plan/env";
import { E2E_PATHS, E2E_WORK, type E2ePlan } from "../../../ci/src/plan/e2e/stage";
import type { ShardRun } from "../../../ci/src/plan/e2e/summary";
import { displayArgv, type Job, type Step } from "../../../ci/src/plan/job";
import { isInside } from "../cli/values";
import { processExecutor, type StepOutcome } from "../exec";
import { copyLeftFile, isLeftFile, leftText, MAX_LEFT_TEXT, readLeftText } from "../leftFiles";
import { prefixedWriter } from "../prefix";
import { runQualityJob, unlinkWorkFolder } from "./quality";

/** The E2E ports that run jobs: shards, backend E2E and merge-reports as processes; blobs and reports are folders. */
export type RunPorts = Pick<E2ePorts<string, string, unknown>, "runShards" | "runBackend" | "merge" | "runQuality">;

/**
 * Run an E2E plan's jobs as host processes: one install shared by the shards (each its own Playwright process, blob
 * dir and output dir) beside the backend's E2E pytest; merge-reports over the blob zips gathered into one folder.
 */
export function runPorts(sourceDir: string, env: NodeJS.ProcessEnv): RunPorts {
  return {
    runShards: async (plan) => {
      const { fe } = dirsOf(plan, sourceDir);
      rmSync(join(fe, E2E_WORK), { recursive: true, force: true });
      await installOnce(plan.installed, plan.mergeJob, fe, env);
      return Promise.all(plan.shardJobs.map((_, i) => shardEnd(plan, i + 1, fe, env)));
    },
    runBackend: async (plan) => {
      const { be } = dirsOf(plan, sourceDir);
      const junit = join(be, E2E_PATHS.backendJunit);
      rmSync(junit, { force: true });
      const job = plan.backendJob;
      // Install, then every step before the last (Poetry's root package); the last (pytest) gives the result.
      for (const step of [...job.install, ...job.steps.slice(0, -1)]) {
        const r = await runStep(job, step, be, env, plan.shardJobs.length);
        if (r.exitCode !== 0) return { exitCode: r.exitCode };
      }
      const r = await runStep(job, job.steps[job.steps.length - 1], be, env, plan.shardJobs.length);
      // What pytest (repository code) left: a regular file of the backend's, never through a link or a FIFO.
      return { exitCode: r.exitCode, junit: readLeftText(be, junit) };
    },
    merge: async (plan, blobDirs) => {
      const { fe } = dirsOf(plan, sourceDir);
      unlinkWorkFolder(fe);
      for (const d of [E2E_PATHS.blobs, E2E_PATHS.report]) rmSync(join(fe, d), { recursive: true, force: true });
      await installOnce(plan.installed, plan.mergeJob, fe, env);
      gatherBlobs(fe, blobDirs);
      const r = await runStep(plan.mergeJob, plan.mergeJob.steps[0], fe, env, plan.shardJobs.length + 1);
      const results = leftText(fe, join(fe, E2E_PATHS.json));
      const problem =
        results.bytes === undefined
          ? undefined
          : `merge-reports' results.json is ${mib(results.bytes)} MiB, more than the ${mib(MAX_LEFT_TEXT)} MiB the runner reads: the suite's output is too big to judge (a test printing without end?)`;
      return {
        exitCode: r.exitCode,
        killed: false,
        report: join(fe, E2E_PATHS.report),
        results: results.text,
        ...(problem ? { problem } : {}),
      };
    },
    runQuality: async (q) => {
      const fe = join(sourceDir, q.job.workdir);
      await installOnce(q.installed, q.job, fe, env);
      const index = 0;
      return runQualityJob(q, fe, env, (job, step) => runStep(job, step, fe, env, index));
    },
  };
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
  unlinkWorkFolder(fe);
  for (const d of [E2E_PATHS.blobDir(index), E2E_PATHS.resultsDir(index)])
    rmSync(join(fe, d), { recursive: true, force: true });
  await installOnce(plan.installed, plan.mergeJob, fe, env);
  const end = await shardEnd(plan, index, fe, env);
  const run = { index, files: plan.assignment.shards[index - 1].files, exitCode: end.exitCode, seconds: end.seconds };
  const blob = join(fe, E2E_PATHS.blobDir(index), E2E_PATHS.blobName(index));
  return { run, blob: isLeftFile(fe, blob) ? blob : undefined };
}

function dirsOf(plan: E2ePlan, sourceDir: string): { fe: string; be: string } {
  return { fe: join(sourceDir, plan.mergeJob.workdir), be: join(sourceDir, plan.backendJob.workdir) };
}

/**
 * A frozen install rewrites node_modules (npm ci wipes it), so the shards share one install, run only when the
 * manager's marker (E2ePlan.installed) is missing or older than the lockfile.
 */
async function installOnce(
  installed: E2ePlan["installed"] | undefined,
  job: Job,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (installed && isInstalled(join(cwd, installed.marker), join(cwd, installed.lockfile))) return;
  for (const step of job.install) {
    const r = await runStep(job, step, cwd, env, 0);
    if (r.exitCode !== 0)
      throw new Error(`${job.name}: ${displayArgv(step.argv)} failed (exit ${r.exitCode}) in ${cwd}`);
  }
}

function isInstalled(marker: string, lockfile: string): boolean {
  return existsSync(marker) && existsSync(lockfile) && statSync(marker).mtimeMs >= statSync(lockfile).mtimeMs;
}

/** Run shard `index` (1-based): its one Playwright step, timed; its blob folder when Playwright wrote the zip. */
async function shardEnd(plan: E2ePlan, index: number, fe: string, env: NodeJS.ProcessEnv): Promise<ShardEnd<string>> {
  const job = plan.shardJobs[index - 1];
  const t = Date.now();
  const r = await runStep(job, job.steps[0], fe, env, index - 1);
  const blobDir = join(fe, E2E_PATHS.blobDir(index));
  const wrote = isLeftFile(fe, join(blobDir, E2E_PATHS.blobName(index)));
  return { exitCode: r.exitCode, killed: false, seconds: (Date.now() - t) / 1000, ...(wrote ? { blob: blobDir } : {}) };
}

async function runStep(job: Job, step: Step, cwd: string, env: NodeJS.ProcessEnv, index: number): Promise<StepOutcome> {
  const out = prefixedWriter(job.name, index);
  out.write(`$ ${displayArgv(step.argv)}\n`);
  const r = await processExecutor(step, cwd, repositoryEnv(env, job.env, step.env), (s) => out.write(s));
  out.flush();
  return r;
}

/**
 * Copy every blob zip of the given dirs into one folder, as merge-reports wants them: only regular files, inside the
 * frontend for a shard's dir (a shard is repository code: a zip it left as a link to a key would be copied into the
 * merge step's reach), inside the dir itself for one given with --blobs.
 */
function gatherBlobs(fe: string, dirs: string[]): void {
  const into = join(fe, E2E_PATHS.blobs);
  mkdirSync(into, { recursive: true });
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    const root = isInside(fe, resolve(dir)) ? fe : dir;
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".zip"))) copyLeftFile(root, join(dir, f), join(into, f));
  }
}

/** Bytes as whole MiB, for a message. */
function mib(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}
