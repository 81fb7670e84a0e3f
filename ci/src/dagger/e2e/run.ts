import { dag, ReturnType, type Container, type Directory, type File, type Secret } from "@dagger.io/dagger";
import { readConfig } from "../config";
import { jobContainer } from "../job";
import { newRunId, withRunId } from "../runId";
import { promotionRecordOf } from "../../plan/e2e/record";
import { E2E_PATHS, isSpecFile, planE2e, playwrightVersion, type E2ePlan } from "../../plan/e2e/stage";
import { formatE2eSummary, summarizeE2e, type E2eSummary, type ShardRun } from "../../plan/e2e/summary";
import type { WebhookKind } from "../../plan/e2e/notify";
import { shardProblems, type RerunContext } from "../../plan/e2e/split";
import { containerWorkdir, type Job } from "../../plan/job";
import { fileTimings, parseReport } from "../../plan/e2e/playwrightReport";
import { parsePytestJunit } from "../../plan/e2e/pytestJunit";
import { fetchProbe } from "../../io/probe";
import { readinessUrls, waitForReady } from "../../plan/e2e/readiness";
import { holds, settledExit } from "./outcome";
import { notifyAll } from "./notify";
import { resolveCommit, writeStagingRecord, type E2eStaging } from "./staging";

/** What every E2E function plans from: the same inputs give the same plan, on one engine or across machines. */
export interface E2eBase {
  source: Directory;
  config: string;
  /** The shard count the plan is cut for (`--shards` of e2e, `--total` of e2e-shard and e2e-merge). */
  shards: number;
  suite: string;
  baseUrl: string;
  apiUrl: string;
  timings?: File;
  readyAttempts?: number;
  readyInterval?: number;
}

export interface DaggerE2eArgs extends E2eBase {
  commit?: string;
  webhooks: Partial<Record<WebhookKind, Secret>>;
  notifySuccess: boolean;
  /** When given, the commit is staging's current release's, and the promotion record is also written there. */
  staging?: E2eStaging;
}

/**
 * Read staging's commit, plan, wait for staging, run the shards ‖ backend E2E, merge, summarise, notify; return the
 * report directory. A shard that died or wrote no blob makes the report red, never the run crash.
 */
export async function runE2e(a: DaggerE2eArgs): Promise<Directory> {
  const runId = newRunId();
  const commit = await resolveCommit(a.staging, a.commit, runId);
  const plan = await planFromSource(a);
  const backend = backendContainer(a.source, plan, runId);
  const [shards, backendExit] = await Promise.all([runShards(a, plan, runId), settledExit(backend)]);
  const report = await mergeBlobs(a.source, plan, shards.blobs);
  const r = { runs: shards.runs, backendCode: backendExit.code, problems: [...shards.problems, ...report.problems] };
  return finishE2e({ ...a, commit }, plan, await summarise(plan, report.dir, backend, r), runId);
}

/** Run every shard container at once; their runs (timed), the blobs they wrote, and a problem per lost blob. */
export async function runShards(
  a: E2eBase,
  plan: E2ePlan,
  runId: string,
): Promise<{ runs: ShardRun[]; blobs: Directory[]; problems: string[] }> {
  const started = Date.now();
  const ended = await Promise.all(
    plan.shardJobs.map(async (job, i) => {
      const shard = shardContainer(a.source, job, runId);
      const exit = await settledExit(shard);
      const seconds = (Date.now() - started) / 1000;
      const blob = shardBlob(shard, plan, i + 1);
      const wroteBlob = !exit.killed && (await holds(blob, E2E_PATHS.blobName(i + 1)));
      return { exit, seconds, blob, wroteBlob };
    }),
  );
  const runs = plan.assignment.shards.map((s, i) => ({
    index: s.index,
    files: s.files,
    exitCode: ended[i].exit.code,
    seconds: ended[i].seconds,
  }));
  const outcomes = ended.map((e, i) => ({
    index: i + 1,
    exitCode: e.exit.code,
    killed: e.exit.killed,
    wroteBlob: e.wroteBlob,
  }));
  const problems = shardProblems(outcomes, a.shards, rerunContext(a));
  return { runs, blobs: ended.filter((e) => e.wroteBlob).map((e) => e.blob), problems };
}

/** What a shard re-run must be given to run the tests this run gave it. */
export function rerunContext(a: E2eBase): RerunContext {
  return { suite: a.suite, baseUrl: a.baseUrl, apiUrl: a.apiUrl, timings: !!a.timings };
}

/**
 * Merge the blobs into one report; none given: merge-reports is not run (it throws "No report files found" on an
 * empty dir). A merge that was killed or wrote no results.json gives no report and says so.
 */
export async function mergeBlobs(
  source: Directory,
  plan: E2ePlan,
  blobs: Directory[],
): Promise<{ dir?: Directory; problems: string[] }> {
  if (!blobs.length) return { problems: [] };
  const merge = mergeContainer(source, plan, blobs);
  const exit = await settledExit(merge);
  const dir = merge.directory(`${containerWorkdir(plan.mergeJob)}/${E2E_PATHS.report}`);
  if (!exit.killed && (await holds(dir, "results.json"))) return { dir, problems: [] };
  return {
    problems: [`merge-reports ${exit.killed ? "was killed" : "exited"} (exit ${exit.code}) and wrote no report`],
  };
}

/**
 * Read the config, the spec files, the Playwright version and the timings, plan, and wait for staging. Every E2E
 * function starts here.
 */
export async function planFromSource(a: E2eBase): Promise<E2ePlan> {
  const c = await readConfig(a.source, a.config);
  const fe = c.frontend.path;
  const [files, pkg, lock, timings] = await Promise.all([
    listSpecs(a.source.directory(`${fe}/${c.e2e.testDir}`)),
    a.source.file(`${fe}/package.json`).contents(),
    a.source
      .file(`${fe}/package-lock.json`)
      .contents()
      .catch(() => undefined),
    a.timings
      ? a.timings.contents().then((t) => fileTimings(parseReport(t, "--timings")))
      : Promise.resolve(new Map<string, number>()),
  ]);
  const plan = planE2e(c, {
    suite: a.suite,
    shards: a.shards,
    files,
    timings,
    baseUrl: a.baseUrl,
    apiUrl: a.apiUrl,
    playwrightVersion: playwrightVersion(pkg, lock),
  });
  for (const w of plan.warnings) console.error(`warning: ${w}`);
  const ready = {
    attempts: a.readyAttempts ?? c.e2e.readyAttempts,
    intervalSeconds: a.readyInterval ?? c.e2e.readyIntervalSeconds,
  };
  await waitForReady(
    readinessUrls(a.baseUrl, a.apiUrl, c.e2e.healthPath),
    ready,
    fetchProbe(),
    (ms) => new Promise((r) => setTimeout(r, ms)),
  );
  return plan;
}

/** A shard job's container, its Playwright step allowed to fail (the blob holds the failures), never replayed. */
export function shardContainer(source: Directory, job: Job, runId: string): Container {
  return keepGoing(source, job, runId);
}

/** The blob report directory shard `index` wrote: `report-<index>.zip`. */
export function shardBlob(shard: Container, plan: E2ePlan, index: number): Directory {
  return shard.directory(`${containerWorkdir(plan.mergeJob)}/${E2E_PATHS.blobDir(index)}`);
}

/** The backend's E2E pytest container, allowed to fail (its JUnit is read instead), never replayed. */
export function backendContainer(source: Directory, plan: E2ePlan, runId: string): Container {
  return keepGoing(source, plan.backendJob, runId);
}

/** The merge job's container: every given blob directory gathered into one folder, then merge-reports. */
export function mergeContainer(source: Directory, plan: E2ePlan, blobs: Directory[]): Container {
  const dir = containerWorkdir(plan.mergeJob);
  let merge = jobContainer(source, { ...plan.mergeJob, steps: [] });
  for (const b of blobs) merge = merge.withDirectory(`${dir}/${E2E_PATHS.blobs}`, b);
  return withLastStep(merge, plan.mergeJob);
}

/** The summary of a run whose merge (and backend) containers are done, and the report directory (empty: none). */
export async function summarise(
  plan: E2ePlan,
  merged: Directory | undefined,
  backend: Container,
  r: { runs: ShardRun[]; backendCode: number; problems: string[] },
): Promise<{ summary: E2eSummary; report: Directory }> {
  const [json, junit] = await Promise.all([
    merged
      ? merged
          .file("results.json")
          .contents()
          .catch(() => "")
      : Promise.resolve(""),
    backend
      .file(`${containerWorkdir(plan.backendJob)}/${E2E_PATHS.backendJunit}`)
      .contents()
      .catch(() => undefined),
  ]);
  const summary = summarizeE2e({
    suite: plan.suite,
    mode: plan.assignment.mode,
    modeReason: plan.assignment.reason,
    shards: r.runs,
    report: tryParse(json),
    backend: parsePytestJunit(junit, r.backendCode),
    problems: r.problems,
  });
  return { summary, report: merged ?? dag.directory() };
}

/** Notify, write the promotion record, and add the summary, status and record to the report. */
export async function finishE2e(
  a: DaggerE2eArgs,
  plan: E2ePlan,
  r: { summary: E2eSummary; report: Directory },
  runId: string,
): Promise<Directory> {
  const [warnings, recordWarnings] = await Promise.all([
    notifyAll(r.summary, a, plan.suite, runId),
    writeStagingRecord(r.summary, a.staging, a.commit, runId),
  ]);
  return withSummary(r.report, r.summary, [...plan.warnings, ...warnings, ...recordWarnings], a.commit);
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

function withSummary(report: Directory, s: E2eSummary, warnings: string[], commit?: string): Directory {
  let d = report
    .withNewFile("summary.json", `${JSON.stringify({ ...s, warnings }, null, 2)}\n`)
    .withNewFile("summary.txt", `${[formatE2eSummary(s), ...warnings].join("\n")}\n`)
    .withNewFile("status", `${s.status}\n`);
  if (commit)
    d = d.withNewFile(
      `promotion/${commit}.json`,
      `${JSON.stringify(promotionRecordOf(s, commit, "html/index.html", new Date()), null, 2)}\n`,
    );
  return d;
}

async function listSpecs(dir: Directory, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await dir.entries()) {
    if (e.endsWith("/")) out.push(...(await listSpecs(dir.directory(e.slice(0, -1)), `${prefix}${e}`)));
    else if (isSpecFile(e)) out.push(`${prefix}${e}`);
  }
  return out.sort();
}

function tryParse(json: string) {
  try {
    return parseReport(json);
  } catch {
    return undefined;
  }
}
