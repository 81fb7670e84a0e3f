/**
 * The E2E plan split across CI machines: `end-to-end-shard` runs one shard job and returns its blob,
 * `end-to-end-merge` runs the merge and backend jobs on the blobs the shards sent. The containers are
 * dagger/e2e/execute.ts's builders, the same as in `end-to-end`.
 */
import { dag, type Directory } from "@dagger.io/dagger";
import { e2eMergeFlow } from "../../flow/e2e";
import { e2eContext, finishPorts, readE2ePlan, rerunContext, type DaggerE2eArgs, type E2eBase } from "./run";
import { runPorts, shardContainer, shardEnd } from "./execute";
import { resolveCommit } from "./staging";
import { newRunId } from "../runId";
import { checkShardIndex, selectShard, shardRerunCommand } from "../../plan/e2e/split";

/**
 * Run shard `index` of a plan cut for `a.shards` shards; return its blob report directory (report-<index>.zip). A shard
 * that was killed or wrote no blob returns an empty directory, with a warning naming the command to re-run it.
 */
export async function runE2eShard(a: E2eBase, index: number): Promise<Directory> {
  checkShardIndex(index, a.shards); // bad input fails before the source is read and staging is probed (minutes)
  const plan = await readE2ePlan(a);
  const job = selectShard(plan, index, a.shards);
  if (!job) {
    console.error(
      `warning: shard ${index} has nothing to run: the plan has ${plan.shardJobs.length} shards for its spec files; returning an empty blob directory`,
    );
    return dag.directory();
  }
  const end = await shardEnd(shardContainer(a.source, job, newRunId()), plan, index, Date.now());
  console.error(`end-to-end-shard ${index}/${a.shards}: playwright exit ${end.exitCode}`);
  if (end.blob) return end.blob;
  console.error(
    `warning: shard ${index} ${end.killed ? "was killed" : "wrote no blob report"} (exit ${end.exitCode}); returning an empty blob directory. Re-run it: ${shardRerunCommand(index, a.shards, rerunContext(a))}`,
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
  const [plan, names] = await Promise.all([readE2ePlan(a), blobs.entries()]);
  const ports = { ...runPorts(a.source, runId), ...finishPorts({ ...a, commit }, plan, runId) };
  return (await e2eMergeFlow(plan, e2eContext(a, plan, commit), names, blobs, ports)).report;
}
