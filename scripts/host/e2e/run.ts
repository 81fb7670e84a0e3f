import { sendStageAlerts } from "../stageAlerts";
import { e2eFailure } from "../../../ci/src/plan/e2e/alerts";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import type { PipelineConfig } from "../../../ci/src/plan/config/defaults";
import { E2eInputError, planE2e, type E2eInput } from "../../../ci/src/plan/e2e/stage";
import { ShardCountError } from "../../../ci/src/plan/e2e/shards";
import { formatE2eSummary } from "../../../ci/src/plan/e2e/summary";
import { fetchProbe } from "../../../ci/src/io/probe";
import { readinessUrls, waitForReady } from "../../../ci/src/plan/e2e/readiness";
import { frontendPlaywrightVersion, listSpecFiles, readTimings } from "./inputs";
import { notify, webhookUrls } from "./notify";
import { recordMode, writeRecord, type RecordMode } from "./record";
import { runE2ePlan, type E2eRunResult } from "./execute";
import { startLocalApp, sleep, type LocalApp } from "../exampleApp";
import { hostGit } from "../git";
import { preflight } from "../preflight";
import { TOOLS_BIN } from "../stage";

export interface E2eFlags {
  shards?: string;
  suite?: string;
  baseUrl?: string;
  apiUrl?: string;
  timings?: string;
  readyAttempts?: string;
  readyInterval?: string;
  stateDir?: string;
  commit?: string;
  notifySuccess?: boolean;
  /** auto | local | staging: where the promotion record goes. */
  record?: string;
  /** e2e-shard: which shard, of how many (e2e-merge: --total too), and where its blob goes. */
  index?: string;
  total?: string;
  out?: string;
  /** e2e-merge: the directory holding the shards' report-<i>.zip files. */
  blobs?: string;
}

/**
 * `npm run pipeline -- end-to-end`: check the input and plan before anything starts, wait for the
 * app (or start the example locally), run the plan, write the report, summary, notification
 * and promotion record. Exit 1 when the tests are red; the report is written either way.
 */
export async function e2eCommand(f: E2eFlags, sourceDir: string, c: PipelineConfig): Promise<number> {
  const stateDir = resolve(f.stateDir ?? ".pipeline");
  const reportOut = join(stateDir, "e2e-report");
  const input = await planInput(f, sourceDir, c, reportOut);
  const dry = planE2e(c, {
    ...input,
    baseUrl: input.baseUrl || "http://127.0.0.1",
    apiUrl: input.apiUrl || "http://127.0.0.1",
  });
  for (const w of dry.warnings) console.error(`warning: ${w}`);
  const env = { ...process.env, PATH: [TOOLS_BIN, process.env.PATH ?? ""].join(delimiter) };
  await preflight([...dry.shardJobs.slice(0, 1), dry.backendJob], sourceDir, env);
  const commit = await commitOf(f, sourceDir);
  const record = recordMode(f.record);
  let app: LocalApp | undefined;
  try {
    if (!input.baseUrl) app = await startLocalApp(sourceDir, c, env, (s) => console.log(`[app] ${s}`));
    else await waitForStaging(input.baseUrl, input.apiUrl, f, c);
    const plan = planE2e(c, { ...input, baseUrl: app?.baseUrl ?? input.baseUrl, apiUrl: app?.apiUrl ?? input.apiUrl });
    console.log(`e2e: ${plan.shardJobs.length} shards, ${plan.assignment.mode} (${plan.assignment.reason})`);
    // A run against the locally started example tested no deployed staging: its record stays local unless asked.
    const where = app && record === "auto" ? "local" : record;
    return await writeReport(
      await runE2ePlan(plan, sourceDir, env),
      { reportOut, stateDir, commit, record: where, notifySuccess: !!f.notifySuccess },
      env,
    );
  } finally {
    await app?.stop();
  }
}

/**
 * Copy the merged report out, add the summary, notify, write the promotion record; exit 1 when red. e2e and e2e-merge
 * end here.
 */
export async function writeReport(
  { summary, reportDir }: E2eRunResult,
  o: { reportOut: string; stateDir: string; commit?: string; record: RecordMode; notifySuccess: boolean },
  env: NodeJS.ProcessEnv,
): Promise<number> {
  rmSync(o.reportOut, { recursive: true, force: true });
  mkdirSync(o.reportOut, { recursive: true });
  cpSync(reportDir, o.reportOut, { recursive: true });
  const text = formatE2eSummary(summary);
  writeFileSync(join(o.reportOut, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(o.reportOut, "summary.txt"), `${text}\n`);
  // The same one-word verdict file as the Dagger function's report, for end-to-end-verdict on either runner.
  writeFileSync(join(o.reportOut, "status"), `${summary.status}\n`);
  const html = join(o.reportOut, "html/index.html");
  console.log(`\n${text}\nreport: ${html}`);
  for (const w of await notify(
    summary,
    { commit: o.commit ?? "unknown", report: html },
    webhookUrls(env),
    o.notifySuccess,
  ))
    console.error(w);
  await sendStageAlerts(e2eFailure(summary, o.commit), env);
  if (!o.commit)
    console.error(
      "warning: no promotion record written: the source is not in a git repository; pass --commit <full sha>",
    );
  else {
    const where = await writeRecord(summary, o.commit, html, { stateDir: o.stateDir, mode: o.record, env }).catch(
      (e: Error) => {
        console.error(
          `warning: no promotion record written (${e.message}); deploy-production will refuse ${o.commit} until \`npm run pipeline -- end-to-end --commit ${o.commit}\` writes one`,
        );
        return undefined;
      },
    );
    if (where) console.log(`promotion record: ${where}`);
  }
  return summary.status === "passed" ? 0 : 1;
}

/**
 * The plan's input from the flags; `reportOut` (the last run's report) is the timings fallback, none for a split run.
 */
export async function planInput(
  f: E2eFlags,
  sourceDir: string,
  c: PipelineConfig,
  reportOut: string | undefined,
): Promise<E2eInput> {
  const shards = f.shards === undefined ? c.e2e.shards : Number(f.shards);
  if (f.shards !== undefined && (f.shards.trim() === "" || !Number.isInteger(shards) || shards < 1))
    throw new ShardCountError(f.shards);
  if (!!f.baseUrl !== !!f.apiUrl)
    throw new E2eInputError(
      "pass both --base-url and --api-url (a deployed app), or neither (the example app is started locally)",
    );
  return {
    suite: f.suite ?? "full",
    shards,
    files: listSpecFiles(sourceDir, c),
    // Machines of a split run must not each fall back to their own last report: only an explicit file is shared.
    timings:
      reportOut || f.timings
        ? readTimings(f.timings, join(reportOut ?? "", "results.json"), (w) => console.error(w))
        : new Map(),
    baseUrl: f.baseUrl ?? "",
    apiUrl: f.apiUrl ?? "",
    playwrightVersion: frontendPlaywrightVersion(sourceDir, c),
  };
}

export async function waitForStaging(baseUrl: string, apiUrl: string, f: E2eFlags, c: PipelineConfig): Promise<void> {
  const attempts = f.readyAttempts === undefined ? c.e2e.readyAttempts : Number(f.readyAttempts);
  const intervalSeconds = f.readyInterval === undefined ? c.e2e.readyIntervalSeconds : Number(f.readyInterval);
  if (!Number.isInteger(attempts) || attempts < 1 || !(intervalSeconds >= 0)) {
    throw new E2eInputError(
      `--ready-attempts must be a whole number >= 1 and --ready-interval seconds >= 0 (got ${f.readyAttempts}, ${f.readyInterval})`,
    );
  }
  console.log(`waiting for ${baseUrl} and ${apiUrl} (${attempts} attempts, ${intervalSeconds}s apart)`);
  await waitForReady(
    readinessUrls(baseUrl, apiUrl, c.e2e.healthPath),
    { attempts, intervalSeconds },
    fetchProbe(),
    sleep,
  );
}

export async function commitOf(f: E2eFlags, sourceDir: string): Promise<string | undefined> {
  if (f.commit && !/^[0-9a-f]{40}$/.test(f.commit))
    throw new E2eInputError(`--commit ${f.commit} is not a full 40-hex sha. Pass --commit $(git rev-parse HEAD)`);
  if (f.commit) return f.commit;
  const r = await hostGit(sourceDir)(["rev-parse", "HEAD"]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}
