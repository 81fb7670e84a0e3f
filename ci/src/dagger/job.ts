import { CacheSharingMode, dag, type Container, type Directory, type Service } from "@dagger.io/dagger";
import {
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
