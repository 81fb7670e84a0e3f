/**
 * The E2E plan split across CI machines: `e2e-shard` runs one shard job and returns its blob,
 * `e2e-merge` runs the merge and backend jobs on the blobs the shards sent, `e2e-verdict`
 * fails on a red report. The containers are dagger/e2e/run.ts's builders, the same as in `e2e`.
 */
import { dag, type Directory } from "@dagger.io/dagger";
import {
  backendContainer,
  finishE2e,
  mergeBlobs,
  planFromSource,
  rerunContext,
  shardBlob,
  shardContainer,
  summarise,
  type DaggerE2eArgs,
  type E2eBase,
} from "./run";
import { holds, settledExit } from "./outcome";
import { resolveCommit } from "./staging";
import { newRunId } from "../runId";
import { E2E_PATHS } from "../../plan/e2e/stage";
import { blobIndex, blobShardRuns, selectShard, shardRerunCommand } from "../../plan/e2e/split";
import { verdictOf } from "../../plan/e2e/verdict";

/**
 * Run shard `index` of a plan cut for `a.shards` shards; return its blob report directory (report-<index>.zip). A shard
 * that was killed or wrote no blob returns an empty directory, with a warning naming the command to re-run it.
 */
export async function runE2eShard(a: E2eBase, index: number): Promise<Directory> {
  const plan = await planFromSource(a);
  const job = selectShard(plan, index, a.shards);
  if (!job) {
    console.error(
      `warning: shard ${index} has nothing to run: the plan has ${plan.shardJobs.length} shards for its spec files; returning an empty blob directory`,
    );
    return dag.directory();
  }
  const shard = shardContainer(a.source, job, newRunId());
  const exit = await settledExit(shard);
  const blob = shardBlob(shard, plan, index);
  console.error(`end-to-end-shard ${index}/${a.shards}: playwright exit ${exit.code}`);
  if (!exit.killed && (await holds(blob, E2E_PATHS.blobName(index)))) return blob;
  console.error(
    `warning: shard ${index} ${exit.killed ? "was killed" : "wrote no blob report"} (exit ${exit.code}); returning an empty blob directory. Re-run it: ${shardRerunCommand(index, a.shards, rerunContext(a))}`,
  );
  return dag.directory();
}

/**
 * Merge the blobs of a plan cut for `a.shards` shards beside the backend E2E; return the report directory, as
 * `end-to-end` does. No blob at all: merge-reports is not run and the report is red.
 */
export async function runE2eMerge(a: DaggerE2eArgs, blobs: Directory): Promise<Directory> {
  const runId = newRunId();
  const commit = await resolveCommit(a.staging, a.commit, runId);
  const [plan, names] = await Promise.all([planFromSource(a), blobs.entries()]);
  const { runs, problems } = blobShardRuns(plan, names, a.shards, rerunContext(a));
  const backend = backendContainer(a.source, plan, runId);
  const given = names.some((n) => blobIndex(n) !== undefined) ? [blobs] : [];
  const [backendExit, report] = await Promise.all([settledExit(backend), mergeBlobs(a.source, plan, given)]);
  const r = { runs, backendCode: backendExit.code, problems: [...problems, ...report.problems] };
  return finishE2e({ ...a, commit }, plan, await summarise(plan, report.dir, backend, r), runId);
}

/** Return the summary of an exported report whose status is passed; throw with the summary when it is failed. */
export async function runE2eVerdict(report: Directory): Promise<string> {
  const [status, summary] = await Promise.all([
    report
      .file("status")
      .contents()
      .catch(() => undefined),
    report
      .file("summary.txt")
      .contents()
      .catch(() => undefined),
  ]);
  return verdictOf(status, summary);
}
