import type { AfterSwitchPlan, DeployPlan, HealthPolicy } from "../../ci/src/plan/deploy/stage";
import {
  formatLogEntry,
  parseReleaseLog,
  type ReleaseLogEntry,
  type ReleaseStatus,
} from "../../ci/src/plan/deploy/releaseLog";
import type { SlotPorts, SlotState } from "../../ci/src/plan/deploy/slots";
import type { ReleaseWatchRecord } from "../../ci/src/plan/deploy/watch";
import { RemoteError, type Remote } from "./remote";

/** What the server's admin (or `staging-server start`) wrote to shared/server.json: tools and ports. */
export interface ServerInfo {
  /** PATH for the deploy shell (node, uv, pm2). */
  path: string;
  pm2Home: string;
  pm2: string;
  publicPort: number;
  frontendPorts: number[];
  backendPorts: number[];
  /** Blue/green slots of app ports; without it, the i-th frontend and backend port form slot i. */
  slots?: SlotPorts[];
  /**
   * The nginx include the deploy rewrites to route to a slot, the argv that reloads nginx gracefully, and the access
   * log the watch reads (default: access.log beside upstreamsFile), in WATCH_LOG_FORMAT.
   */
  nginx?: { upstreamsFile: string; reload: string[]; accessLog?: string };
}

/** Everything a task reads or records; one per deploy or rollback run. */
export interface DeployContext {
  remote: Remote;
  base: string;
  plan: Pick<DeployPlan, "releaseId" | "commit" | "keep" | "forceReason"> & {
    health: HealthPolicy;
    afterSwitch?: AfterSwitchPlan;
  };
  /** The built release (frontend standalone + backend source), rsynced as is. */
  artifactDir: string;
  /** App secrets: NAME → exact bytes for shared/env/NAME. Never logged. */
  secrets: Record<string, string>;
  by: string;
  log: (line: string) => void;
  server?: ServerInfo;
  state: {
    locked: boolean;
    created: boolean;
    switched: boolean;
    previous?: string;
    bytesSent?: number;
    rolledBackTo?: string;
    routed?: boolean;
    snapshot?: ReleaseState;
    /** The slot state as this run last left it (reload keeps it current), so a rollback need not read it again. */
    slots?: SlotState;
    /** Date.now() when the deploy began (for the release log's seconds). */
    startedAt?: number;
    /** Byte offset of the access log before traffic moved: the watch reads from there. */
    accessLogFrom?: number;
    /** Date.now() when the watch saw a threshold crossed (the breach-to-rollback bench). */
    breachAt?: number;
    /** Date.now() when the old release served again after a breach. */
    restoredAt?: number;
    /** The watch verdict, for the summary and the alerts. */
    watch?: ReleaseWatchRecord;
  };
}

/**
 * Run a task's bash body in DEPLOY_BASE with the server's PATH and PM2_HOME; throw RemoteError naming the task on
 * failure.
 */
export async function sh(
  ctx: DeployContext,
  task: string,
  body: string,
  args: string[] = [],
  input?: string,
  hint?: string,
): Promise<string> {
  const env = ctx.server
    ? `export PATH=${q(ctx.server.path)}:"$PATH" PM2_HOME=${q(ctx.server.pm2Home)} DEPLOY_BASE="$BASE"\n`
    : "";
  const script = `set -euo pipefail\nBASE=$1; shift\ncd "$BASE"\n${env}${body}`;
  const t = performance.now();
  const r = await ctx.remote.run(script, [ctx.base, ...args], input);
  if (process.env.DEPLOY_TRACE) ctx.log(`trace: ${task} ${Math.round(performance.now() - t)} ms`);
  if (r.code === 255)
    throw new RemoteError(
      task,
      ctx.remote.where,
      r,
      `could not reach the server over SSH; check the connection with: ${ctx.remote.typed("true")}`,
    );
  if (r.code !== 0) throw new RemoteError(task, ctx.remote.where, r, hint);
  return r.stdout;
}

function q(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/** Append one line to .dep/releases.jsonl. */
export async function appendLog(
  ctx: DeployContext,
  id: string,
  status: ReleaseStatus,
  extra: Partial<ReleaseLogEntry> = {},
): Promise<void> {
  await appendLogs(ctx, [{ id, status, ...extra }]);
}

/** Append several lines in one round trip. */
export async function appendLogs(
  ctx: DeployContext,
  entries: (Partial<ReleaseLogEntry> & Pick<ReleaseLogEntry, "id" | "status">)[],
): Promise<void> {
  const text = entries
    .map(({ id, status, ...extra }) =>
      formatLogEntry({ id, commit: ctx.plan.commit, time: new Date().toISOString(), status, by: ctx.by, ...extra }),
    )
    .join("");
  await sh(ctx, "release log", 'mkdir -p .dep && printf "%s" "$1" >> .dep/releases.jsonl', [text]);
}

/** The server's releases: dirs present, current's target, the log, and .dep/slots.json as written. */
export interface ReleaseState {
  existing: string[];
  current?: string;
  log: ReleaseLogEntry[];
  slotsText: string;
}

/** The bash that prints what parseReleaseState reads. */
export const READ_STATE =
  'ls -1 releases 2>/dev/null || true; echo "@@"; readlink current || true; echo "@@"; cat .dep/releases.jsonl 2>/dev/null || true; echo "@@"; cat .dep/slots.json 2>/dev/null || true';

export function parseReleaseState(out: string): ReleaseState {
  const [dirs, cur, log, slots] = out.split("@@\n");
  const current = (cur ?? "").trim().split("/").pop() || undefined;
  return {
    existing: dirs.split("\n").filter(Boolean),
    current,
    log: parseReleaseLog(log ?? ""),
    slotsText: slots ?? "",
  };
}

export async function readReleaseState(ctx: DeployContext): Promise<ReleaseState> {
  return parseReleaseState(await sh(ctx, "read releases", READ_STATE));
}
