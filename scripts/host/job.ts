import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { repositoryEnv } from "../../ci/src/plan/env";
import { availableParallelism } from "node:os";
import { stepGraphFlow } from "../../ci/src/flow/stepGraph";
import { stepGraph, type StepTiming } from "../../ci/src/plan/fastTests/graph";
import { stepForCores, type PythonModule } from "../../ci/src/plan/fastTests/workers";
import { allSteps, displayArgv, serviceEnv, type Job } from "../../ci/src/plan/job";
import { coverageFrom } from "../../ci/src/plan/report/metrics";
import { explainFailure, type JobResult } from "../../ci/src/plan/report/summary";
import type { StepExecutor } from "./exec";
import { prefixedWriter } from "./prefix";
import { findPython } from "./python";
import { commandTmpdir, inCacheScope } from "./sandbox";
import { startService, type RunningService } from "./services";

export interface HostJobOptions {
  sourceDir: string;
  /** The runner's environment: services start with it; repository steps get only its allowed part (plan/env.ts). */
  env: NodeJS.ProcessEnv;
  exec: StepExecutor;
  /** Position of the job in its stage, for the prefix colour. */
  index: number;
  /** When false, services are not started (dry run). */
  startServices: boolean;
  /** Where the prefixed live output goes. */
  out: NodeJS.WritableStream;
  /** What this machine narrows in the job's own env (e.g. UV_PYTHON as a path); applied after it. */
  overrides?: Record<string, string>;
  /** Cores the job's steps may keep busy at once; default: os.availableParallelism(). */
  cores?: number;
}

/** The interpreter uv is to use, as a path this machine has (pyenv installs included). */
export async function hostOverrides(job: Job, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const version = job.tools.find((t) => t.python)?.python;
  const path = version ? await findPython(version, env) : undefined;
  return path ? { UV_PYTHON: path } : {};
}

/**
 * Run one planned job as host processes: start its services, then install, then the independent steps side by side
 * (their graph, bounded by the cores), starting nothing new after the first failure.
 */
export async function runJob(job: Job, o: HostJobOptions): Promise<JobResult> {
  const started = Date.now();
  const out = prefixedWriter(job.name, o.index, o.out);
  const base = { job: job.name, threshold: job.threshold };
  const seconds = () => (Date.now() - started) / 1000;
  const services: RunningService[] = [];
  try {
    let urls: Record<string, string> = {};
    for (const svc of job.services) {
      if (!o.startServices) {
        urls = { ...urls, ...serviceEnv(svc, "127.0.0.1", svc.port) };
        continue;
      }
      try {
        const running = await startService(svc, o.env);
        services.push(running);
        out.write(`${svc.alias} (${running.bin}) listening on 127.0.0.1:${running.port}\n`);
        urls = { ...urls, ...serviceEnv(svc, "127.0.0.1", running.port) };
      } catch (e) {
        out.write(`${(e as Error).message}\n`);
        return {
          ...base,
          status: "failed",
          seconds: seconds(),
          failedStep: `service ${svc.alias}`,
          reason: (e as Error).message,
          output: (e as Error).message,
        };
      }
    }
    const run = await runSteps(job, o, { cwd: join(o.sourceDir, job.workdir), urls });
    const measured = run.coverage === undefined ? {} : { coverage: run.coverage };
    if (run.failure)
      return { ...base, status: "failed", seconds: seconds(), steps: run.timings, ...run.failure, ...measured };
    return { ...base, status: "passed", seconds: seconds(), steps: run.timings, ...measured };
  } finally {
    out.flush();
    await Promise.all(services.map((s) => s.stop()));
  }
}

interface StepsRun {
  timings: StepTiming[];
  coverage?: number;
  failure?: { failedStep: string; reason: string; output: string };
}

/** Each step prefixed `[job:step]`, so the lines of steps running side by side stay apart. */
async function runSteps(job: Job, o: HostJobOptions, at: { cwd: string; urls: Record<string, string> }) {
  const result: Omit<StepsRun, "timings"> = {};
  const byName = new Map(allSteps(job).map((s) => [s.name, s]));
  const order = [...byName.keys()];
  const runStep = async (name: string, cores: number): Promise<boolean> => {
    const step = stepForCores(byName.get(name) as (typeof job.steps)[number], cores);
    const out = prefixedWriter(`${job.name}:${name}`, o.index + order.indexOf(name), o.out);
    const t = Date.now();
    out.write(`$ ${displayArgv(step.argv)}\n`);
    const dir = step.python && (await pythonDir(step.python));
    const path = dir ? { PYTHONPATH: [dir, job.env.PYTHONPATH].filter(Boolean).join(":") } : {};
    const env = repositoryEnv(o.env, job.env, at.urls, o.overrides, step.env, path);
    const r = await o.exec(step, at.cwd, env, (s) => out.write(s)).finally(() => dir && rm(dir, { recursive: true }));
    out.flush();
    const took = ((Date.now() - t) / 1000).toFixed(1);
    result.coverage = coverageFrom(r.output) ?? result.coverage;
    if (r.exitCode === 0) {
      out.write(`✓ ${name} (${took}s)\n`);
      return true;
    }
    out.write(`✗ ${name} failed (exit ${r.exitCode}, ${took}s)\n`);
    result.failure ??= {
      failedStep: name,
      reason: `exit ${r.exitCode}\n${explainFailure(r.output)}`,
      output: r.output,
    };
    return false;
  };
  // A pull request's steps (job.scope) run in its cache scope: its own home and temp dir, where the Python module a
  // step imports goes too (sandbox.ts). The job's services are the runner's own programs, started outside it.
  const scoped = (name: string, cores: number) => inCacheScope(job.scope, () => runStep(name, cores));
  const run = await stepGraphFlow(stepGraph(job), o.cores ?? availableParallelism(), scoped, () => Date.now());
  return { ...result, timings: run.timings } as StepsRun;
}

/** A temp folder holding the module a step imports (pytest's per-worker database plugin), for its PYTHONPATH. */
async function pythonDir(m: PythonModule): Promise<string> {
  const dir = await mkdtemp(join(commandTmpdir(), "pipeline-python-"));
  await writeFile(join(dir, `${m.name}.py`), m.source);
  return dir;
}
