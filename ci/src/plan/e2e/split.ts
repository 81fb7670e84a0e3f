/**
 * One E2E plan, split across machines: `end-to-end-shard` runs one shard job of the plan and
 * `end-to-end-merge` runs its merge and backend jobs on the blobs the shards sent. Pure.
 */
import { InputError } from "../errors";
import { E2E_PATHS, type E2ePlan } from "./stage";
import type { ShardRun } from "./summary";
import type { Job } from "../job";

/** A shard index outside 1..total: says which and what to pass. */
export class ShardIndexError extends InputError {
  constructor(
    readonly index: unknown,
    readonly total: number,
  ) {
    super(
      `--index ${String(index)} is not a shard of --total ${total}: pass a whole number from 1 to ${total}, e.g. \`dagger call end-to-end-shard --index 1 --total ${total}\` (or \`npm run pipeline -- end-to-end-shard --index 1 --total ${total} --out blob\`).`,
    );
  }
}

/**
 * The job of shard `index` of a plan made for `total` shards, or undefined when the plan clamped
 * the count below `index` (fewer spec files than shards): that shard has nothing to run.
 */
export function selectShard(plan: E2ePlan, index: unknown, total: number): Job | undefined {
  return plan.shardJobs[checkShardIndex(index, total) - 1];
}

/** `index` when it is a whole number from 1 to `total`; needs no plan, so it runs before anything is read or probed. */
export function checkShardIndex(index: unknown, total: number): number {
  if (typeof index !== "number" || !Number.isInteger(index) || index < 1 || index > total)
    throw new ShardIndexError(index, total);
  return index;
}

/** The shard index of a blob report's file name (`report-3.zip` → 3), else undefined. */
export function blobIndex(name: string): number | undefined {
  const m = /^report-(\d+)\.zip$/.exec(name.split("/").pop() ?? "");
  return m ? Number(m[1]) : undefined;
}

/**
 * The shard runs a merge can tell from the blob files it received: each planned shard with its
 * files, exit 0 when its blob is there (its failures are in the report), and a problem naming
 * the command to re-run for each missing one. Their seconds were measured on other machines.
 */
export function blobShardRuns(
  plan: E2ePlan,
  blobNames: string[],
  total: number,
  rerun: RerunContext,
): { runs: ShardRun[]; problems: string[] } {
  const got = new Set(blobNames.map(blobIndex).filter((i): i is number => i !== undefined));
  const runs = plan.assignment.shards.map((s) => ({
    index: s.index,
    files: s.files,
    exitCode: got.has(s.index) ? 0 : 1,
    seconds: null,
  }));
  const problems = runs
    .filter((r) => r.exitCode !== 0)
    .map(
      (r) =>
        `shard ${r.index} of ${plan.shardJobs.length} sent no blob report (${E2E_PATHS.blobName(r.index)}): re-run its job, or \`${shardRerunCommand(r.index, total, rerun)}\``,
    );
  if (got.size === 0)
    problems.push("no blob report at all: pass --blobs the directory holding every shard's report-<i>.zip");
  return { runs, problems };
}

/** What a re-run of one shard must be given to run the same tests as the run that lost it, and on which runner. */
export interface RerunContext {
  /** The runner whose command line re-runs it: `dagger call` or the host CLI. */
  runner: "dagger" | "host";
  suite: string;
  baseUrl: string;
  apiUrl: string;
  /** The run was balanced by a --timings file: the re-run needs the same file. */
  timings: boolean;
}

/** The exact call that re-runs shard `index` of a plan cut for `total` shards and exports its blob. */
export function shardRerunCommand(index: number, total: number, r: RerunContext): string {
  const timings = r.timings ? " --timings results.json" : "";
  const args = `--index ${index} --total ${total} --suite ${r.suite} --base-url ${r.baseUrl} --api-url ${r.apiUrl}${timings}`;
  return r.runner === "dagger"
    ? `dagger call end-to-end-shard ${args} export --path blob-${index}`
    : `npm run pipeline -- end-to-end-shard ${args} --out blob-${index}`;
}

/** How one shard container ended on the engine: its exit code, killed outside the codes an exec may return, blob. */
export interface ShardOutcome {
  index: number;
  exitCode: number;
  /** The exec raised instead of returning its code (e.g. 137 after an OOM kill): nothing it wrote can be read. */
  killed: boolean;
  wroteBlob: boolean;
}

/** A problem per shard whose blob the merge cannot have, naming the shard and the command that re-runs it. */
export function shardProblems(outcomes: ShardOutcome[], total: number, rerun: RerunContext): string[] {
  const lost = outcomes.filter((o) => o.killed || !o.wroteBlob);
  const problems = lost.map((o) => {
    const what = o.killed
      ? `was killed (exit ${o.exitCode}${o.exitCode === 137 ? ", out of memory?" : ""}) before its report was complete`
      : `exited ${o.exitCode} and wrote no blob report (${E2E_PATHS.blobName(o.index)})`;
    return `shard ${o.index} of ${outcomes.length} ${what}: re-run it with \`${shardRerunCommand(o.index, total, rerun)}\``;
  });
  if (outcomes.length && lost.length === outcomes.length)
    problems.push("no blob report at all: every shard died before writing one, so merge-reports was not run");
  return problems;
}
