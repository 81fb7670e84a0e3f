import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { e2eMergeFlow } from "../../../ci/src/flow/e2e";
import { basename, delimiter, dirname, join, resolve } from "node:path";
import type { PipelineConfig } from "../../../ci/src/plan/config/defaults";
import { E2eInputError, type E2ePlan } from "../../../ci/src/plan/e2e/stage";
import type { Job } from "../../../ci/src/plan/job";
import { ShardCountError } from "../../../ci/src/plan/e2e/shards";
import { selectShard, ShardIndexError } from "../../../ci/src/plan/e2e/split";
import { e2eContext, finishPorts, printOutcome, readE2ePlan, resolveCommit, type E2eFlags } from "./run";
import { printable } from "../../../ci/src/plan/triggers/commits";
import { recordMode } from "./record";
import { runPorts, runShardAlone } from "./execute";
import { copyLeftFile, isLeftFile } from "../leftFiles";
import { preflight } from "../preflight";
import { provideNode } from "../node";
import { TOOLS_BIN } from "../stage";

/**
 * `npm run pipeline -- end-to-end-shard --index I --total N --out DIR`: run one shard of the plan that
 * `e2e --shards N` makes, as one CI machine would, and put its blob zip in DIR. Exit 0 when the
 * blob was written (its failures are the merge's to report), 1 when Playwright wrote none.
 */
export async function runE2eShard(f: E2eFlags, sourceDir: string, c: PipelineConfig): Promise<number> {
  const total = totalOf(f);
  const index = Number(f.index);
  if (f.index === undefined || f.index.trim() === "") throw new ShardIndexError(f.index, total);
  if (!f.out)
    throw new E2eInputError(
      `end-to-end-shard needs --out DIR, where its blob zip goes. Run e.g. \`npm run pipeline -- end-to-end-shard --index ${f.index} --total ${total} --out blob-${f.index} --base-url URL --api-url URL\``,
    );
  const { plan, env } = await splitPlan(f, sourceDir, c, total, (p) => {
    const job = selectShard(p, index, total);
    return job ? [job] : [];
  });
  const job = selectShard(plan, index, total);
  if (!job) {
    console.error(
      `warning: shard ${index} has nothing to run: the plan has ${plan.shardJobs.length} shards for its spec files`,
    );
    return 0;
  }
  const { run, blob } = await runShardAlone(plan, index, sourceDir, env);
  console.log(
    `e2e-shard ${index}/${total}: playwright exit ${run.exitCode} in ${run.seconds?.toFixed(1)}s${run.files.length ? `, ${run.files.join(" ")}` : ""}`,
  );
  if (!blob) {
    console.error(
      `shard ${index} wrote no blob report. Re-run it: npm run pipeline -- end-to-end-shard --index ${index} --total ${total} --out ${f.out}`,
    );
    return 1;
  }
  mkdirSync(resolve(f.out), { recursive: true });
  if (!copyLeftFile(dirname(blob), blob, join(resolve(f.out), basename(blob)))) {
    console.error(`shard ${index}'s blob ${printable(blob)} is no longer a regular file (a link, a FIFO?): not copied`);
    return 1;
  }
  console.log(`blob: ${join(resolve(f.out), basename(blob))}`);
  return 0;
}

/**
 * `npm run pipeline -- end-to-end-merge --blobs DIR --total N`: merge the shards' blob zips beside the
 * backend E2E into the same report, summary, notification and promotion record as `e2e`.
 */
export async function runE2eMerge(f: E2eFlags, sourceDir: string, c: PipelineConfig): Promise<number> {
  const total = totalOf(f);
  if (!f.blobs)
    throw new E2eInputError(
      `end-to-end-merge needs --blobs DIR, the directory holding every shard's report-<i>.zip. Run e.g. \`npm run pipeline -- end-to-end-merge --blobs blobs --total ${total} --base-url URL --api-url URL\``,
    );
  const stateDir = resolve(f.stateDir ?? ".pipeline");
  const commit = await resolveCommit(f, sourceDir);
  const { plan, env } = await splitPlan(f, sourceDir, c, total, (p) => [p.mergeJob, p.backendJob]);
  const blobs = resolve(f.blobs);
  const names = arrivedBlobNames(blobs);
  const o = { reportOut: join(stateDir, "e2e-report"), stateDir, commit, record: recordMode(f.record) };
  const ctx = e2eContext(plan, { baseUrl: f.baseUrl!, apiUrl: f.apiUrl!, commit, total, timings: !!f.timings });
  const ports = { ...runPorts(sourceDir, env), ...finishPorts({ ...o, notifySuccess: !!f.notifySuccess }, env) };
  return printOutcome(await e2eMergeFlow(plan, ctx, names, blobs, ports), plan.warnings.length);
}

/**
 * The names in --blobs the merge can take: regular files of the folder (through no link out of it), as the merge
 * gathers them. A name that is a dangling link or a folder is no blob: counted, it would stand for a shard whose tests
 * never reached merge-reports.
 */
export function arrivedBlobNames(blobs: string): string[] {
  return existsSync(blobs) ? readdirSync(blobs).filter((n) => isLeftFile(blobs, join(blobs, n))) : [];
}

function totalOf(f: E2eFlags): number {
  const total = f.total === undefined ? 4 : Number(f.total);
  if (f.total !== undefined && (f.total.trim() === "" || !Number.isInteger(total) || total < 1))
    throw new ShardCountError(f.total);
  return total;
}

/**
 * The plan every machine of a split run makes alike (the deployed URLs, --total, only an explicit --timings file),
 * once this machine has the tools of the jobs it runs and the deployed app is ready.
 */
async function splitPlan(
  f: E2eFlags,
  sourceDir: string,
  c: PipelineConfig,
  total: number,
  jobsHere: (plan: E2ePlan) => Job[],
): Promise<{ plan: E2ePlan; env: NodeJS.ProcessEnv }> {
  if (!f.baseUrl || !f.apiUrl)
    throw new E2eInputError(
      "end-to-end-shard and end-to-end-merge need --base-url and --api-url: the deployed app every machine tests (`npm run pipeline -- end-to-end` starts the example locally instead)",
    );
  recordMode(f.record);
  const env = { ...process.env, PATH: [TOOLS_BIN, process.env.PATH ?? ""].join(delimiter) };
  const preflightHere = async (plan: E2ePlan) => {
    const node = await provideNode(jobsHere(plan), env);
    if (node) console.log(node);
    await preflight(jobsHere(plan), sourceDir, env);
  };
  return { plan: await readE2ePlan({ ...f, shards: String(total) }, sourceDir, c, { preflight: preflightHere }), env };
}
