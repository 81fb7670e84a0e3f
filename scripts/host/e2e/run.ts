import { existsSync, lstatSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { e2eFlow, type E2eContext, type E2eOutcome, type E2ePorts } from "../../../ci/src/flow/e2e";
import type { PipelineConfig } from "../../../ci/src/plan/config/defaults";
import { REPORT_HTML } from "../../../ci/src/plan/e2e/reportFiles";
import { E2eInputError, type E2ePlan } from "../../../ci/src/plan/e2e/stage";
import { e2eStartFlow, type E2eRequest, type E2eStartPorts } from "../../../ci/src/flow/e2eStart";
import { ShardCountError } from "../../../ci/src/plan/e2e/shards";
import { formatE2eSummary } from "../../../ci/src/plan/e2e/summary";
import { fetchProbe } from "../../../ci/src/io/probe";
import { printable } from "../../../ci/src/plan/triggers/commits";
import { checkBaselines, checkWorkFolder, frontendPlaywrightVersion, listSpecFiles, readTimings } from "./inputs";
import { notify, webhookUrls } from "./notify";
import { recordMode, writeRecord, type RecordMode } from "./record";
import { runPorts } from "./execute";
import { PIPELINE_ROOT } from "./quality";
import { startLocalApp, sleep, type LocalApp } from "../exampleApp";
import { gitPort } from "../git";
import { copyLeftTree } from "../leftFiles";
import { preflight } from "../preflight";
import { provideNode } from "../node";
import { runnerEnv } from "../stage";
import { sendStageAlerts } from "../stageAlerts";

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
 * app (or start the example locally), run the E2E flow, write the report, summary, notification
 * and promotion record. Exit 1 when the tests are red; the report is written either way.
 */
export async function runE2e(f: E2eFlags, sourceDir: string, c: PipelineConfig): Promise<number> {
  const stateDir = resolve(f.stateDir ?? ".pipeline");
  const reportOut = join(stateDir, "e2e-report");
  const env = runnerEnv();
  const commit = await resolveCommit(f, sourceDir);
  const record = recordMode(f.record);
  let app: LocalApp | undefined;
  try {
    const plan = await readE2ePlan(f, sourceDir, c, {
      reportOut,
      preflight: async (p) => {
        const jobs = [...p.shardJobs.slice(0, 1), p.backendJob];
        const node = await provideNode(jobs, env);
        if (node) console.log(node);
        await preflight(jobs, sourceDir, env);
      },
      serve: async () => (app = await startLocalApp(sourceDir, c, env, (s) => console.log(`[app] ${s}`))),
    });
    const urls = { baseUrl: app?.baseUrl ?? f.baseUrl!, apiUrl: app?.apiUrl ?? f.apiUrl! };
    console.log(`e2e: ${plan.shardJobs.length} shards, ${plan.assignment.mode} (${plan.assignment.reason})`);
    // A run against the locally started example tested no deployed staging: its record stays local unless asked.
    const where = app && record === "auto" ? "local" : record;
    const o = { reportOut, stateDir, commit, record: where, notifySuccess: !!f.notifySuccess };
    const ctx = e2eContext(plan, { ...urls, commit, total: parseE2eRequest(f, c).shards, timings: !!f.timings });
    const out = await e2eFlow(plan, ctx, { ...runPorts(sourceDir, env), ...finishPorts(o, env) });
    return printOutcome(out, plan.warnings.length);
  } finally {
    await app?.stop();
  }
}

/** Where a host run's report and promotion record go, and whether a green run is notified too. */
export interface FinishOptions {
  reportOut: string;
  stateDir: string;
  commit?: string;
  record: RecordMode;
  notifySuccess: boolean;
}

/** What a host run is: the commit, the shard count, and the re-run hint in the host CLI's words. */
export function e2eContext(
  plan: E2ePlan,
  r: { baseUrl: string; apiUrl: string; commit?: string; total: number; timings: boolean },
): E2eContext {
  const rerun = {
    runner: "host" as const,
    suite: plan.suite,
    baseUrl: r.baseUrl,
    apiUrl: r.apiUrl,
    timings: r.timings,
  };
  return { commit: r.commit, total: r.total, rerun, warnings: plan.warnings, now: () => new Date() };
}

/** The E2E ports that tell and keep: webhooks from env or .env, alerts, the promotion record, the report folder. */
export function finishPorts(
  o: FinishOptions,
  env: NodeJS.ProcessEnv,
): Pick<E2ePorts<string, string, string>, "notify" | "alert" | "writeRecord" | "writeReport"> {
  const html = join(o.reportOut, REPORT_HTML);
  return {
    notify: (s) => notify(s, { commit: o.commit ?? "unknown", report: html }, webhookUrls(env), o.notifySuccess),
    alert: (events) => sendStageAlerts(events, env),
    writeRecord: async (s) => {
      if (!o.commit)
        return [
          "warning: no promotion record written: the source is not in a git repository; pass --commit <full sha>",
        ];
      const where = await writeRecord(s, o.commit, html, { stateDir: o.stateDir, mode: o.record, env }).catch(
        (e: Error) => e,
      );
      if (typeof where === "string") console.log(`promotion record: ${where}`);
      return typeof where === "string"
        ? []
        : [
            `warning: no promotion record written (${where.message}); deploy-production will refuse ${o.commit} until \`npm run pipeline -- end-to-end --commit ${o.commit}\` writes one`,
          ];
    },
    writeReport: async (report, files, quality) => {
      rmSync(o.reportOut, { recursive: true, force: true });
      mkdirSync(o.reportOut, { recursive: true });
      // Folders merge-reports and the quality job (repository code's neighbours) filled: files only, no link, no FIFO.
      if (report && existsSync(report)) copyLeftTree(report, report, o.reportOut);
      if (quality && existsSync(quality)) copyLeftTree(quality, quality, join(o.reportOut, "quality"));
      // The runner's own files (status, summary, record) replace whatever merge-reports left at their paths: a folder
      // where a file goes, or a file where a folder goes.
      for (const [path, text] of Object.entries(files)) {
        const parts = path.split("/");
        for (let i = 1; i < parts.length; i++) {
          const up = join(o.reportOut, ...parts.slice(0, i));
          if (lstatSync(up, { throwIfNoEntry: false })?.isDirectory() === false) rmSync(up, { force: true });
        }
        mkdirSync(dirname(join(o.reportOut, path)), { recursive: true });
        rmSync(join(o.reportOut, path), { recursive: true, force: true });
        writeFileSync(join(o.reportOut, path), text);
      }
      return o.reportOut;
    },
  };
}

/**
 * Print the summary, where the report is, and the warnings not yet printed (the plan's were, before the run); exit 1
 * when the run is red.
 */
export function printOutcome(out: E2eOutcome<string>, printed: number): number {
  console.log(`\n${formatE2eSummary(out.summary)}\nreport: ${join(out.report, REPORT_HTML)}`);
  for (const w of out.warnings.slice(printed)) console.error(w);
  return out.summary.status === "passed" ? 0 : 1;
}

/** The E2E flags as the flow's request: the shard count checked, readiness numbers as numbers. */
export function parseE2eRequest(f: E2eFlags, c: PipelineConfig): E2eRequest {
  const shards = f.shards === undefined ? c.e2e.shards : Number(f.shards);
  if (f.shards !== undefined && (f.shards.trim() === "" || !Number.isInteger(shards) || shards < 1))
    throw new ShardCountError(f.shards);
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  return {
    runner: "host",
    suite: f.suite ?? "full",
    shards,
    baseUrl: f.baseUrl,
    apiUrl: f.apiUrl,
    readyAttempts: num(f.readyAttempts),
    readyInterval: num(f.readyInterval),
  };
}

/** What a host command adds to the start: its own preflight, the example app to serve, the last report's folder. */
export interface StartOptions {
  preflight(plan: E2ePlan): Promise<void>;
  serve?(): Promise<{ baseUrl: string; apiUrl: string }>;
  /** The last run's report, the timings fallback; none for a split run. */
  reportOut?: string;
}

/** The flow's start over this machine: the source folder, the flags, and the command's own preflight. */
export async function readE2ePlan(
  f: E2eFlags,
  sourceDir: string,
  c: PipelineConfig,
  o: StartOptions,
): Promise<E2ePlan> {
  return e2eStartFlow(c, parseE2eRequest(f, c), startPorts(f, sourceDir, c, o));
}

/** The start's ports here: the spec files and timings on disk, fetch for the probe, a timer, stdout for the log. */
export function startPorts(f: E2eFlags, sourceDir: string, c: PipelineConfig, o: StartOptions): E2eStartPorts {
  return {
    readSource: async () => {
      checkWorkFolder(sourceDir, c);
      checkBaselines(sourceDir, c);
      return {
        files: listSpecFiles(sourceDir, c),
        // Machines of a split run must not each fall back to their own last report: only an explicit file is shared.
        timings:
          o.reportOut || f.timings
            ? readTimings(f.timings, join(o.reportOut ?? "", "results.json"), (w) => console.error(w))
            : new Map(),
        playwrightVersion: frontendPlaywrightVersion(sourceDir, c),
        qualityTools: PIPELINE_ROOT,
      };
    },
    preflight: o.preflight,
    serve: o.serve,
    probe: fetchProbe(),
    sleep,
    log: (line) => (line.startsWith("warning: ") ? console.error(line) : console.log(line)),
  };
}

export async function resolveCommit(f: E2eFlags, sourceDir: string): Promise<string | undefined> {
  if (f.commit && !/^[0-9a-f]{40}$/.test(f.commit))
    throw new E2eInputError(
      `--commit ${printable(f.commit)} is not a full 40-hex sha. Pass --commit $(git rev-parse HEAD)`,
    );
  if (f.commit) return f.commit;
  const r = await gitPort(sourceDir)(["rev-parse", "HEAD"]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}
