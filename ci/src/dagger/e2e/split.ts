/**
 * The E2E plan split across CI machines: `e2e-shard` runs one shard job and returns its blob,
 * `e2e-merge` runs the merge and backend jobs on the blobs the shards sent, `e2e-verdict`
 * fails on a red report. The containers are dagger/e2e/run.ts's builders, the same as in `e2e`.
 */
import { dag, type Directory } from "@dagger.io/dagger";
import {
  backendContainer,
  finishE2e,
  mergeContainer,
  planFromSource,
  shardBlob,
  shardContainer,
  summarise,
  type DaggerE2eArgs,
  type E2eBase,
} from "./run";
import { blobShardRuns, selectShard } from "../../plan/e2e/split";
import { verdictOf } from "../../plan/e2e/verdict";

/** Run shard `index` of a plan cut for `a.shards` shards; return its blob report directory (report-<index>.zip). */
export async function runE2eShard(a: E2eBase, index: number): Promise<Directory> {
  const plan = await planFromSource(a);
  const job = selectShard(plan, index, a.shards);
  if (!job) {
    console.error(
      `warning: shard ${index} has nothing to run: the plan has ${plan.shardJobs.length} shards for its spec files; returning an empty blob directory`,
    );
    return dag.directory();
  }
  const shard = shardContainer(a.source, job);
  console.error(`e2e-shard ${index}/${a.shards}: playwright exit ${await shard.exitCode()}`);
  return shardBlob(shard, plan, index);
}

/**
 * Merge the blobs of a plan cut for `a.shards` shards beside the backend E2E; return the report directory, as `e2e`
 * does.
 */
export async function runE2eMerge(a: DaggerE2eArgs, blobs: Directory): Promise<Directory> {
  const [plan, names] = await Promise.all([planFromSource(a), blobs.entries()]);
  const { runs, problems } = blobShardRuns(plan, names, a.shards);
  const backend = backendContainer(a.source, plan);
  const merge = mergeContainer(a.source, plan, [blobs]);
  const [backendCode] = await Promise.all([backend.exitCode(), merge.exitCode()]);
  return finishE2e(a, plan, await summarise(plan, merge, backend, { runs, backendCode, problems }));
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
