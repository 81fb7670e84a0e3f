import { dag, type Directory, type File, type Secret } from "@dagger.io/dagger";
import { e2eFlow, type E2eContext, type E2ePorts } from "../../flow/e2e";
import { readConfig } from "../config";
import { newRunId } from "../runId";
import { sendStageAlerts, type AlertSecrets } from "../stageAlerts";
import { frontendLockfile, isSpecFile, playwrightVersion, type E2ePlan } from "../../plan/e2e/stage";
import type { PipelineConfig } from "../../plan/config/defaults";
import { e2eStartFlow, type E2eStartPorts } from "../../flow/e2eStart";
import type { WebhookKind } from "../../plan/e2e/notify";
import type { RerunContext } from "../../plan/e2e/split";
import { fileTimings, parseReport } from "../../plan/e2e/playwrightReport";
import { fetchProbe } from "../../io/probe";
import { runPorts } from "./execute";
import { notify } from "./notify";
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
  /** Webhook URL(s) per severity: a red run raises e2e-failed to the warning channel. */
  alerts?: AlertSecrets;
  webhooks: Partial<Record<WebhookKind, Secret>>;
  notifySuccess: boolean;
  /** When given, the commit is staging's current release's, and the promotion record is also written there. */
  staging?: E2eStaging;
}

/**
 * Read staging's commit, plan, wait for staging, run the E2E flow (shards ‖ backend E2E, merge, summary, notify,
 * alert, record); return the report directory. A shard that died or wrote no blob makes the report red, never the run
 * crash.
 */
export async function runE2e(a: DaggerE2eArgs): Promise<Directory> {
  const runId = newRunId();
  const commit = await resolveCommit(a.staging, a.commit, runId);
  const plan = await readE2ePlan(a);
  const ports = { ...runPorts(a.source, runId), ...finishPorts({ ...a, commit }, plan, runId) };
  return (await e2eFlow(plan, e2eContext(a, plan, commit), ports)).report;
}

/** What a Dagger run is: the commit, the shard count, and the re-run hint as a `dagger call`. */
export function e2eContext(a: E2eBase, plan: E2ePlan, commit: string | undefined): E2eContext {
  return { commit, total: a.shards, rerun: rerunContext(a), warnings: plan.warnings, now: () => new Date() };
}

/** What a shard re-run must be given to run the tests this run gave it. */
export function rerunContext(a: E2eBase): RerunContext {
  return { runner: "dagger", suite: a.suite, baseUrl: a.baseUrl, apiUrl: a.apiUrl, timings: !!a.timings };
}

/** The E2E ports that tell and keep: webhook and alert Secrets, the record on staging, the report Directory. */
export function finishPorts(
  a: DaggerE2eArgs,
  plan: E2ePlan,
  runId: string,
): Pick<E2ePorts<Directory, Directory, Directory>, "notify" | "alert" | "writeRecord" | "writeReport"> {
  return {
    notify: (s) => notify(s, a, plan.suite, runId),
    alert: (events) => sendStageAlerts(events, a.alerts ?? {}, runId),
    writeRecord: (s) => writeStagingRecord(s, a.staging, a.commit, runId),
    writeReport: async (report, files, quality) => {
      let d = report ?? dag.directory();
      if (quality) d = d.withDirectory("quality", quality);
      for (const [path, text] of Object.entries(files)) d = d.withNewFile(path, text);
      return d;
    },
  };
}

/** Read the config, then the flow's start (source, plan, staging's readiness): every E2E function's first step. */
export async function readE2ePlan(a: E2eBase): Promise<E2ePlan> {
  const c = await readConfig(a.source, a.config);
  const req = { runner: "dagger" as const, ...a };
  return e2eStartFlow(c, req, startPorts(a, c));
}

/** The start's ports on the engine: the source Directory, fetch for the probe, a timer, stderr for the log. */
export function startPorts(a: E2eBase, c: PipelineConfig): E2eStartPorts {
  const fe = c.frontend.path;
  const lock = frontendLockfile(c);
  return {
    readSource: async () => {
      const [files, pkg, locked, timings] = await Promise.all([
        listSpecs(a.source.directory(`${fe}/${c.e2e.testDir}`)),
        a.source.file(`${fe}/package.json`).contents(),
        a.source
          .file(`${fe}/${lock.file}`)
          .contents()
          .then((text) => ({ manager: lock.manager, text }))
          .catch(() => ({ manager: lock.manager })),
        a.timings
          ? a.timings.contents().then((t) => fileTimings(parseReport(t, "--timings")))
          : Promise.resolve(new Map<string, number>()),
      ]);
      return { files, timings, playwrightVersion: playwrightVersion(pkg, locked) };
    },
    // The engine's images bring their own tools.
    preflight: async () => undefined,
    probe: fetchProbe(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    log: (line) => console.error(line),
  };
}

async function listSpecs(dir: Directory, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await dir.entries()) {
    if (e.endsWith("/")) out.push(...(await listSpecs(dir.directory(e.slice(0, -1)), `${prefix}${e}`)));
    else if (isSpecFile(e)) out.push(`${prefix}${e}`);
  }
  return out.sort();
}
