import type { DeployPlan, HealthPolicy } from "../../ci/src/deployPlan";
import { formatLogEntry, parseReleaseLog, type ReleaseLogEntry, type ReleaseStatus } from "../../ci/src/releaseLog";
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
}

/** Everything a task reads or records; one per deploy or rollback run. */
export interface DeployContext {
  remote: Remote;
  base: string;
  plan: Pick<DeployPlan, "releaseId" | "commit" | "keep" | "forceReason"> & { health: HealthPolicy };
  /** The built release (frontend standalone + backend source), rsynced as is. */
  artifactDir: string;
  /** App secrets: NAME → exact bytes for shared/env/NAME. Never logged. */
  secrets: Record<string, string>;
  by: string;
  log: (line: string) => void;
  server?: ServerInfo;
  state: { locked: boolean; created: boolean; switched: boolean; previous?: string; bytesSent?: number; rolledBackTo?: string };
}

/** Run a task's bash body in DEPLOY_BASE with the server's PATH and PM2_HOME; throw RemoteError naming the task on failure. */
export async function sh(ctx: DeployContext, task: string, body: string, args: string[] = [], input?: string, hint?: string): Promise<string> {
  const env = ctx.server ? `export PATH=${q(ctx.server.path)}:"$PATH" PM2_HOME=${q(ctx.server.pm2Home)} DEPLOY_BASE="$BASE"\n` : "";
  const script = `set -euo pipefail\nBASE=$1; shift\ncd "$BASE"\n${env}${body}`;
  const r = await ctx.remote.run(script, [ctx.base, ...args], input);
  if (r.code !== 0) throw new RemoteError(task, ctx.remote.where, r, hint);
  return r.stdout;
}

function q(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/** Append one line to .dep/releases.jsonl. */
export async function appendLog(ctx: DeployContext, id: string, status: ReleaseStatus, extra: Partial<ReleaseLogEntry> = {}): Promise<void> {
  const entry: ReleaseLogEntry = { id, commit: ctx.plan.commit, time: new Date().toISOString(), status, by: ctx.by, ...extra };
  await sh(ctx, "release log", 'mkdir -p .dep && printf "%s" "$1" >> .dep/releases.jsonl', [formatLogEntry(entry)]);
}

/** The server's releases: dirs present, current's target, and the log. */
export interface ReleaseState {
  existing: string[];
  current?: string;
  log: ReleaseLogEntry[];
}

export async function readReleaseState(ctx: DeployContext): Promise<ReleaseState> {
  const out = await sh(ctx, "read releases", 'ls -1 releases 2>/dev/null || true; echo "@@"; readlink current || true; echo "@@"; cat .dep/releases.jsonl 2>/dev/null || true');
  const [dirs, cur, log] = out.split("@@\n");
  const current = cur.trim().split("/").pop() || undefined;
  return { existing: dirs.split("\n").filter(Boolean), current, log: parseReleaseLog(log ?? "") };
}
