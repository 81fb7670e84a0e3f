/**
 * The E2E ports that run jobs on the engine: each shard, the backend E2E and the merge a container whose last step may
 * fail (its exit code and outputs are read instead); blobs and reports are Directories.
 */
import { ReturnType, type Container, type Directory } from "@dagger.io/dagger";
import type { E2ePorts, ShardEnd } from "../../flow/e2e";
import { E2E_PATHS, type E2ePlan } from "../../plan/e2e/stage";
import { containerWorkdir, type Job } from "../../plan/job";
import { jobContainer } from "../job";
import { withRunId } from "../runId";
import { holds, settledExit } from "./outcome";
import { runQualityJob } from "./quality";

/** The E2E ports that run jobs. */
export type RunPorts = Pick<
  E2ePorts<Directory, Directory, unknown>,
  "runShards" | "runBackend" | "merge" | "runQuality"
>;

/** Shards at once, the backend E2E and the merge as containers of `source`, never replayed within a call. */
export function runPorts(source: Directory, runId: string): RunPorts {
  return {
    runShards: async (plan) => {
      const started = Date.now();
      return Promise.all(
        plan.shardJobs.map((job, i) => shardEnd(shardContainer(source, job, runId), plan, i + 1, started)),
      );
    },
    runBackend: async (plan) => {
      const backend = keepGoing(source, plan.backendJob, runId);
      const exit = await settledExit(backend);
      const junit = exit.killed
        ? undefined
        : await backend
            .file(`${containerWorkdir(plan.backendJob)}/${E2E_PATHS.backendJunit}`)
            .contents()
            .catch(() => undefined);
      return { exitCode: exit.code, junit };
    },
    merge: async (plan, blobs) => {
      const merge = mergeContainer(source, plan, blobs);
      const exit = await settledExit(merge);
      const dir = merge.directory(`${containerWorkdir(plan.mergeJob)}/${E2E_PATHS.report}`);
      if (exit.killed || !(await holds(dir, "results.json"))) return { exitCode: exit.code, killed: exit.killed };
      const results = await dir.file("results.json").contents();
      return { exitCode: exit.code, killed: false, report: dir, results };
    },
    runQuality: (q) => runQualityJob(source, q, runId),
  };
}

/** How a shard container ended, its seconds since all started, and its blob directory when it wrote the zip. */
export async function shardEnd(
  shard: Container,
  plan: E2ePlan,
  index: number,
  started: number,
): Promise<ShardEnd<Directory>> {
  const exit = await settledExit(shard);
  const seconds = (Date.now() - started) / 1000;
  const blob = shardBlob(shard, plan, index);
  const wrote = !exit.killed && (await holds(blob, E2E_PATHS.blobName(index)));
  return { exitCode: exit.code, killed: exit.killed, seconds, ...(wrote ? { blob } : {}) };
}

/** A shard job's container, its Playwright step allowed to fail (the blob holds the failures), never replayed. */
export function shardContainer(source: Directory, job: Job, runId: string): Container {
  return keepGoing(source, job, runId);
}

/** The blob report directory shard `index` wrote: `report-<index>.zip`. */
export function shardBlob(shard: Container, plan: E2ePlan, index: number): Directory {
  return shard.directory(`${containerWorkdir(plan.mergeJob)}/${E2E_PATHS.blobDir(index)}`);
}

/** The merge job's container: every given blob directory gathered into one folder, then merge-reports. */
function mergeContainer(source: Directory, plan: E2ePlan, blobs: Directory[]): Container {
  const dir = containerWorkdir(plan.mergeJob);
  let merge = jobContainer(source, { ...plan.mergeJob, steps: [] });
  for (const b of blobs) merge = merge.withDirectory(`${dir}/${E2E_PATHS.blobs}`, b);
  return withLastStep(merge, plan.mergeJob);
}

/** A job's container whose last step may fail without failing the pipeline: its exit code is read instead. */
function keepGoing(source: Directory, job: Job, runId: string): Container {
  const steps = jobContainer(source, { ...job, steps: job.steps.slice(0, -1) });
  return withLastStep(withRunId(steps, runId), job);
}

function withLastStep(c: Container, job: Job): Container {
  const step = job.steps[job.steps.length - 1];
  for (const [k, v] of Object.entries(step.env ?? {})) c = c.withEnvVariable(k, v);
  return c.withExec(step.argv, { expect: ReturnType.Any });
}
