import { join } from "node:path";
import { repositoryEnv } from "../../ci/src/plan/env";
import { allSteps, displayArgv, serviceEnv, type Job } from "../../ci/src/plan/job";
import { coverageFrom } from "../../ci/src/plan/report/metrics";
import { explainFailure, type JobResult } from "../../ci/src/plan/report/summary";
import type { StepExecutor } from "./exec";
import { prefixedWriter } from "./prefix";
import { findPython } from "./python";
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
}

/** The interpreter uv is to use, as a path this machine has (pyenv installs included). */
export async function hostOverrides(job: Job, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const version = job.tools.find((t) => t.python)?.python;
  const path = version ? await findPython(version, env) : undefined;
  return path ? { UV_PYTHON: path } : {};
}

/**
 * Run one planned job as host processes: start its services, then each step in order, stopping at the first failure.
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
    const cwd = join(o.sourceDir, job.workdir);
    let coverage: number | undefined;
    for (const step of allSteps(job)) {
      const t = Date.now();
      out.write(`$ ${displayArgv(step.argv)}\n`);
      const env = repositoryEnv(o.env, job.env, urls, o.overrides, step.env);
      const r = await o.exec(step, cwd, env, (s) => out.write(s));
      out.flush();
      const took = ((Date.now() - t) / 1000).toFixed(1);
      coverage = coverageFrom(r.output) ?? coverage;
      const measured = coverage === undefined ? {} : { coverage };
      if (r.exitCode !== 0) {
        out.write(`✗ ${step.name} failed (exit ${r.exitCode}, ${took}s)\n`);
        return {
          ...base,
          status: "failed",
          seconds: seconds(),
          failedStep: step.name,
          reason: `exit ${r.exitCode}\n${explainFailure(r.output)}`,
          output: r.output,
          ...measured,
        };
      }
      out.write(`✓ ${step.name} (${took}s)\n`);
    }
    return { ...base, status: "passed", seconds: seconds(), ...(coverage === undefined ? {} : { coverage }) };
  } finally {
    out.flush();
    await Promise.all(services.map((s) => s.stop()));
  }
}
