import { availableParallelism } from "node:os";
import { CacheSharingMode, dag, type Container, type Directory, type Service } from "@dagger.io/dagger";
import { stepGraphFlow } from "../flow/stepGraph";
import { chainParent, grantedCores, stepGraph } from "../plan/fastTests/graph";
import { stepForCores } from "../plan/fastTests/workers";
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
  return withSteps(installedSource(source, job, withSteps(jobBase(source, job), job.install)), job.steps);
}

/** The job's container before any exec: image, caches, services, env, workdir and the lockfiles. */
function jobBase(source: Directory, job: Job): Container {
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
  return c;
}

/** The installed container with the job's source copied in (after the install, so that layer caches). */
function installedSource(source: Directory, job: Job, installed: Container): Container {
  return installed.withDirectory(containerWorkdir(job), job.workdir === "." ? source : source.directory(job.workdir));
}

/** Where a step's Python module (pytest's per-worker database plugin) is written, first on its PYTHONPATH. */
const PYTHON_DIR = "/opt/pipeline/python";

/**
 * Each step's container: its own withExec, with the workers its cores allow, on the container of the step it continues
 * (plan/fastTests/graph.ts), so independent checks are separate chains from the installed container that the engine
 * runs side by side.
 */
function stepContainers(source: Directory, job: Job, machineCores: number): (name: string) => Container {
  const nodes = stepGraph(job);
  const byName = new Map(allSteps(job).map((s) => [s.name, s]));
  const made = new Map<string, Container>();
  let installed: Container | undefined;
  const installedOnce = () =>
    (installed ??= installedSource(
      source,
      job,
      job.install.length ? containerOf(job.install.at(-1)!.name) : jobBase(source, job),
    ));
  const containerOf = (name: string): Container => {
    const have = made.get(name);
    if (have) return have;
    const parent = chainParent(nodes, job.install.length, name);
    const isInstall = job.install.some((s) => s.name === name);
    const from = parent ? containerOf(parent) : isInstall ? jobBase(source, job) : installedOnce();
    const node = nodes.find((n) => n.name === name)!;
    const step = stepForCores(byName.get(name) as Step, grantedCores(node, machineCores));
    const c = withSteps(step.python ? withPython(from, step.python) : from, [step]);
    made.set(name, c);
    return c;
  };
  return containerOf;
}

function withPython(c: Container, m: NonNullable<Step["python"]>): Container {
  return c.withNewFile(`${PYTHON_DIR}/${m.name}.py`, m.source).withEnvVariable("PYTHONPATH", PYTHON_DIR);
}

/**
 * Run one job by its step graph (the same flow as the host runner, within the engine machine's cores): a passed
 * result with the coverage a step printed and each step's times, or where and why it failed.
 */
export async function runJob(source: Directory, job: Job): Promise<JobResult> {
  const started = Date.now();
  const base = { job: job.name, threshold: job.threshold };
  const seconds = () => (Date.now() - started) / 1000;
  // In module mode this code runs on the engine's machine, so its cores are the engine's.
  const cores = availableParallelism();
  const containerOf = stepContainers(source, job, cores);
  let coverage: number | undefined;
  let failure: Pick<JobResult, "failedStep" | "reason" | "output"> | undefined;
  const runStep = async (name: string): Promise<boolean> => {
    try {
      // pytest-cov's total is in the test step's stdout.
      coverage = coverageFrom(await containerOf(name).stdout()) ?? coverage;
      return true;
    } catch (e) {
      if (!isExecError(e)) throw e;
      const output = `${e.stdout}\n${e.stderr}`;
      coverage = coverageFrom(output) ?? coverage;
      failure ??= { failedStep: name, reason: `exit ${e.exitCode}\n${explainFailure(output)}`, output };
      return false;
    }
  };
  const run = await stepGraphFlow(stepGraph(job), cores, runStep, () => Date.now());
  const measured = coverage === undefined ? {} : { coverage };
  if (failure) return { ...base, status: "failed", seconds: seconds(), steps: run.timings, ...failure, ...measured };
  return { ...base, status: "passed", seconds: seconds(), steps: run.timings, ...measured };
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
