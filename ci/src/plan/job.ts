/**
 * The pipeline as plain data. Both runners (Dagger in `dagger/`, host processes in
 * `scripts/host/`) execute exactly these objects; neither keeps its own commands.
 */

import { hideCredentials } from "./credentials";
import type { PythonModule, Workers } from "./fastTests/workers";
import { shellQuote } from "./shellQuote";

/** One command of a job, run as argv (never through a shell). */
export interface Step {
  name: string;
  argv: string[];
  env?: Record<string, string>;
  /** Steps of the same job that must end before this one starts (besides install, which always comes first). */
  after?: string[];
  /** Cores the step keeps busy (test runners with workers); the scheduler never runs more than the machine has. */
  cores?: number;
  /** Its test runner takes a worker count: the runners pass the cores granted (plan/fastTests/workers.ts). */
  workers?: Workers;
  /** A module the step imports (pytest's per-worker database plugin); the runner puts it on PYTHONPATH. */
  python?: PythonModule;
}

/** A named cache volume mounted at an absolute path inside the job's container. */
export interface CacheMount {
  key: string;
  path: string;
  /** locked: one writer at a time (Dagger's default is shared); the host runner has one process per cache anyway. */
  sharing?: "shared" | "locked" | "private";
}

/** How the host runner provides a service that the Dagger runner starts from an image. */
export interface HostService {
  /** Candidates tried in order: the first whose `bin` is on PATH is started. */
  candidates: HostServiceCommand[];
  /** One line telling how to install a candidate when none is found. */
  installHint: string;
}

/** A host command line; `{port}` and `{dataDir}` are filled in by the host runner. */
export interface HostServiceCommand {
  bin: string;
  args: string[];
}

/** A service the job talks to over the network (e.g. MongoDB bound as `mongo`). */
export interface ServiceNeed {
  alias: string;
  image: string;
  port: number;
  /** Env given to the job; `{host}` and `{port}` are filled in by each runner. */
  env: Record<string, string>;
  host: HostService;
}

/** A host tool the job needs; only the host runner checks it (containers bring their own). */
export interface ToolNeed {
  bin: string;
  /** Minimum major version, compared with the first number `bin --version` prints. */
  minMajor?: number;
  /**
   * A semver range `bin --version` must be in, and why (the repository's pin); for `node` the host runner provisions a
   * version in range when its own is not.
   */
  range?: { range: string; why: string };
  /** A Python minor version (e.g. "3.13") this machine must have for `bin` (uv) to use. */
  python?: string;
  installHint: string;
}

/** Target and alert durations for a stage (docs/requirements.md#R-durations). */
export interface Threshold {
  targetSeconds: number;
  alertSeconds: number;
}

/** One job: a container (or a host directory) and the steps run in it. */
export interface Job {
  name: string;
  stage: string;
  image: string;
  /** Directory of the job inside the source, relative to the source root. */
  workdir: string;
  /** Files (relative to workdir) copied before `install`, so the dependency layer caches. */
  manifests: string[];
  install: Step[];
  steps: Step[];
  caches: CacheMount[];
  env: Record<string, string>;
  services: ServiceNeed[];
  tools: ToolNeed[];
  /** Paths (relative to workdir) worth keeping after the job, e.g. coverage reports. */
  artifacts: string[];
  threshold: Threshold;
  /**
   * The pull request whose caches the job reads and writes, apart from the shared ones (plan/triggers/cacheScope.ts);
   * unset: the shared caches.
   */
  scope?: string;
}

/** A stage: jobs that run in parallel. */
export interface StagePlan {
  name: string;
  jobs: Job[];
  threshold: Threshold;
  /** What the run summary measures besides durations (docs/requirements.md#R-coverage, R-billing). */
  metrics: { coverageMin: number; ratePerMinute: number };
  /** Whether the stage runs the quality checks pipeline.yaml turns on (SAST, secrets, audit) beside its jobs. */
  qualityChecks?: boolean;
}

/** Where the source is mounted inside every container. */
export const CONTAINER_SOURCE = "/src";

/** Absolute container directory of a job. */
export function containerWorkdir(job: Pick<Job, "workdir">): string {
  return job.workdir === "." ? CONTAINER_SOURCE : `${CONTAINER_SOURCE}/${job.workdir}`;
}

/** Every step of a job in run order: install first, then the checks. */
export function allSteps(job: Job): Step[] {
  return [...job.install, ...job.steps];
}

/** Fill `{host}`/`{port}` placeholders of a service's env for one runner. */
export function serviceEnv(service: ServiceNeed, host: string, port: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.env)) {
    out[k] = v.replaceAll("{host}", host).replaceAll("{port}", String(port));
  }
  return out;
}

/** Show argv as a shell would need it typed, for logs only (steps never run through a shell); no URL's credentials. */
export function displayArgv(argv: string[]): string {
  return argv.map(hideCredentials).map(shellQuote).join(" ");
}
