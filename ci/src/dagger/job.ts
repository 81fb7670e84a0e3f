import { CacheSharingMode, dag, type Container, type Directory, type Service } from "@dagger.io/dagger";
import { isExecError } from "./execError";
import { coverageFrom } from "../plan/report/metrics";
import { explainFailure, type JobResult } from "../plan/report/summary";
import {
  allSteps,
  CONTAINER_SOURCE,
  containerWorkdir,
  serviceEnv,
  type CacheMount,
  type Job,
  type ServiceNeed,
  type Step,
} from "../plan/job";

const SHARING: Record<NonNullable<CacheMount["sharing"]>, CacheSharingMode> = {
  shared: CacheSharingMode.Shared,
  locked: CacheSharingMode.Locked,
  private: CacheSharingMode.Private,
};

/** Build a job's container from its plan: image, caches, services, env, lockfiles, install, source, steps. */
export function jobContainer(source: Directory, job: Job): Container {
  const dir = containerWorkdir(job);
  let c = dag.container().from(job.image);
  for (const m of job.caches) {
    c = c.withMountedCache(m.path, dag.cacheVolume(m.key), m.sharing ? { sharing: SHARING[m.sharing] } : {});
  }
  for (const svc of job.services) {
    c = c.withServiceBinding(svc.alias, serviceContainer(svc));
    c = withEnv(c, serviceEnv(svc, svc.alias, svc.port));
  }
  c = withEnv(c, job.env).withWorkdir(dir);
  for (const m of job.manifests) c = c.withFile(`${dir}/${m}`, source.file(sourcePath(job, m)));
  c = withSteps(c, job.install);
  c = c.withDirectory(dir, job.workdir === "." ? source : source.directory(job.workdir));
  return withSteps(c, job.steps);
}

/** Run one job's container to its end: a passed result with the coverage it printed, or where and why it failed. */
export async function runJob(source: Directory, job: Job): Promise<JobResult> {
  const started = Date.now();
  const base = { job: job.name, threshold: job.threshold };
  const seconds = () => (Date.now() - started) / 1000;
  try {
    // The last step's stdout carries what the summary measures (pytest-cov's total).
    const coverage = coverageFrom(await jobContainer(source, job).stdout());
    return { ...base, status: "passed", seconds: seconds(), ...(coverage === undefined ? {} : { coverage }) };
  } catch (e) {
    if (!isExecError(e)) throw e;
    const output = `${e.stdout}\n${e.stderr}`;
    const step = allSteps(job).find((s) => s.argv.join("\u0000") === e.cmd.join("\u0000"));
    const coverage = coverageFrom(output);
    return {
      ...base,
      status: "failed",
      seconds: seconds(),
      failedStep: step?.name ?? e.cmd.join(" "),
      reason: `exit ${e.exitCode}\n${explainFailure(output)}`,
      output,
      ...(coverage === undefined ? {} : { coverage }),
    };
  }
}

/** Start a service from its image, listening on its port for the job's binding. */
export function serviceContainer(svc: ServiceNeed): Service {
  return dag.container().from(svc.image).withExposedPort(svc.port).asService({ useEntrypoint: true });
}

function withSteps(c: Container, steps: Step[]): Container {
  for (const s of steps) {
    // Step env is scoped to its own exec, so a later step never inherits it.
    const names = Object.keys(s.env ?? {});
    c = withEnv(c, s.env ?? {}).withExec(s.argv);
    for (const n of names) c = c.withoutEnvVariable(n);
  }
  return c;
}

function withEnv(c: Container, env: Record<string, string>): Container {
  for (const [k, v] of Object.entries(env)) c = c.withEnvVariable(k, v);
  return c;
}

function sourcePath(job: Job, file: string): string {
  return job.workdir === "." ? file : `${job.workdir}/${file}`;
}

export { CONTAINER_SOURCE };
