import type { AfterSwitchPlan, DeployPlan, HealthPolicy } from "../../ci/src/plan/deploy/stage";
import {
  formatLogEntry,
  parseReleaseLog,
  type ReleaseLogEntry,
  type ReleaseStatus,
} from "../../ci/src/plan/deploy/releaseLog";
import type { TargetName } from "../../ci/src/plan/deploy/nextCommand";
import type { SlotState } from "../../ci/src/plan/deploy/slots";
import type { ServerInfo } from "../../ci/src/plan/deploy/serverInfo";
import type { ReleaseWatchRecord } from "../../ci/src/plan/deploy/watch";
import { RELEASE_ID_ERE } from "../../ci/src/plan/deploy/releaseId";
import { repositoryEnvBash } from "../../ci/src/plan/env";
import { interruptSettled, throwIfInterrupted } from "./interrupted";
import { RemoteError, shellQuote, type Remote } from "./remote";

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
  /** Its digest (`sha256:` + hex of its MANIFEST), logged on this release's entries. */
  artifactDigest?: string;
  /** App secrets: NAME → exact bytes for shared/env/NAME. Never logged. */
  secrets: Record<string, string>;
  by: string;
  /** The target the pipeline names in the commands its messages print; absent on the server's own scripts. */
  target?: TargetName;
  log: (line: string) => void;
  server?: ServerInfo;
  /** Fires on SIGINT/SIGTERM: steps safe to stop midway (shStoppable, upload) end at once; others finish first. */
  abort?: AbortSignal;
  state: {
    locked: boolean;
    created: boolean;
    switched: boolean;
    /** The release passed health and the watch and is logged deployed: a later failure (cleanup) keeps it. */
    deployed?: boolean;
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
 * Run a task's bash body in DEPLOY_BASE with the server's PATH and PM2_HOME and `repository_env` defined (for any
 * repository code it runs), and `confine` (server.json's, else empty: CONFINED puts it before a command); throw
 * RemoteError naming the task on failure.
 */
export async function sh(
  ctx: DeployContext,
  task: string,
  body: string,
  args: string[] = [],
  input?: string,
  hint?: string,
): Promise<string> {
  return runSh(ctx, { task, body, args, input, hint });
}

/**
 * sh for a step that only reads (the server check, a rollback's first read, a health probe, the access log):
 * SIGINT/SIGTERM kill it at once and it throws DeployInterrupted, so the failure path starts without waiting for it.
 */
export async function shStoppable(
  ctx: DeployContext,
  task: string,
  body: string,
  args: string[] = [],
  hint?: string,
): Promise<string> {
  return runSh(ctx, { task, body, args, hint, signal: ctx.abort });
}

async function runSh(
  ctx: DeployContext,
  o: { task: string; body: string; args: string[]; input?: string; hint?: string; signal?: AbortSignal },
): Promise<string> {
  throwIfInterrupted(o.signal);
  const env = ctx.server
    ? `export PATH=${shellQuote(ctx.server.path)}:"$PATH" PM2_HOME=${shellQuote(ctx.server.pm2Home)} DEPLOY_BASE="$BASE"\n` +
      `confine=(${ctx.server.confine ? shellQuote(ctx.server.confine) : ""})\n`
    : "";
  const script = `set -euo pipefail\nBASE=$1; shift\ncd "$BASE"\n${env}${REPOSITORY_ENV}\n${o.body}`;
  const t = performance.now();
  const r = await ctx.remote.run(script, [ctx.base, ...o.args], o.input, o.signal);
  throwIfInterrupted(o.signal);
  // A Ctrl-C can reach a step's ssh in the instant between its fork and its own process group; the trap in this
  // process may run a moment later. Say it was the interrupt, not a server fault.
  if (r.signal) throwIfInterrupted(await interruptSettled(ctx.abort));
  if (process.env.DEPLOY_TRACE) ctx.log(`trace: ${o.task} ${Math.round(performance.now() - t)} ms`);
  if (r.code === 255)
    throw new RemoteError(
      o.task,
      ctx.remote.where,
      r,
      `could not reach the server over SSH${o.hint ? ` (${o.hint})` : ""}; check the connection with: ${ctx.remote.typed("true")}`,
    );
  if (r.code !== 0) throw new RemoteError(o.task, ctx.remote.where, r, diskFull(ctx, r.stderr) ?? o.hint);
  return r.stdout;
}

/** The fix for a step that ran out of space on the server, whatever the step (an upload, uv, the lock, a log line). */
export function diskFull(ctx: DeployContext, stderr: string): string | undefined {
  if (!/No space left on device|Disk quota exceeded/i.test(stderr)) return undefined;
  return `the server's disk is full: free space under ${ctx.base} (df -h ${ctx.base}), then re-run the deploy`;
}

/**
 * What a task's bash puts before the repository code it runs besides the app, inside `repository_env`: server.json's
 * `confine` (the bundled staging server's confinement), or nothing. Safe under `set -u` with an empty or unset array
 * (bash before 4.4 calls an empty "${a[@]}" unbound). Not for `pm2`, which the bundled server confines itself.
 */
export const CONFINED = '${confine[@]+"${confine[@]}"}';

/** Every task's shell can run repository code (migrations, installs, the app) with only the allow-listed env. */
const REPOSITORY_ENV = repositoryEnvBash();

/**
 * Append $1 to .dep/releases.jsonl, on a line of its own: a log whose last line has no newline (a hand edit in an
 * editor that drops it, a write a full disk cut short) first gets one, else the first appended line would be glued to
 * it and both lost to every reader (a rollback's "bad" line, and the abandoned release a rollback target again).
 */
const APPEND_LOG = `mkdir -p .dep
f=.dep/releases.jsonl
if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then printf '\\n' >> "$f"; fi
printf '%s' "$1" >> "$f"`;

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
      formatLogEntry({
        ...{ id, commit: ctx.plan.commit, time: new Date().toISOString(), status, by: ctx.by },
        ...(id === ctx.plan.releaseId && ctx.artifactDigest ? { artifact: ctx.artifactDigest } : {}),
        ...extra,
      }),
    )
    .join("");
  await sh(ctx, "release log", APPEND_LOG, [text]);
}

/** The server's releases: dirs present, current's target, the log, and .dep/slots.json as written. */
export interface ReleaseState {
  existing: string[];
  current?: string;
  log: ReleaseLogEntry[];
  /** The release ids whose manifest was recorded (.dep/manifests/<id>): each went live once. */
  recorded?: string[];
  slotsText: string;
}

/**
 * The bash that prints what parseReleaseState reads. Only dirs named like a release id are listed: anything else in
 * releases/ (an admin's folder, a name with a newline) is not the deploy's to count or remove.
 */
export const READ_STATE =
  `re='${RELEASE_ID_ERE}'; ` +
  'for d in releases/*/; do n=${d#releases/}; n=${n%/}; [[ $n =~ $re ]] && echo "$n"; done; echo "@@"; readlink current || true; echo "@@"; cat .dep/releases.jsonl 2>/dev/null || true; echo "@@"; for f in .dep/manifests/*; do n=${f##*/}; [[ $n =~ $re ]] && echo "$n"; done; echo "@@"; if [ -f .dep/slots.json ]; then cat .dep/slots.json 2>/dev/null; fi; true';

export function parseReleaseState(out: string): ReleaseState {
  const [dirs, cur, log, recorded, slots] = out.split("@@\n");
  // `releases/<id>/` (a shell's completion adds the slash) is that release, not none.
  const current = (cur ?? "").trim().replace(/\/+$/, "").split("/").pop() || undefined;
  return {
    existing: dirs.split("\n").filter(Boolean),
    current,
    log: parseReleaseLog(log ?? ""),
    recorded: (recorded ?? "").split("\n").filter(Boolean),
    slotsText: slots ?? "",
  };
}

/** Read the release state; `stoppable` for a read before the lock, which a signal may cut at once. */
export async function readReleaseState(ctx: DeployContext, stoppable = false): Promise<ReleaseState> {
  return parseReleaseState(await (stoppable ? shStoppable : sh)(ctx, "read releases", READ_STATE));
}
