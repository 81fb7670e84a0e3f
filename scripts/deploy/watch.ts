/**
 * The watch window's I/O: read the lines nginx appended to its access log since traffic moved
 * (one SSH round trip per poll), and judge the new release's trailing minute each second
 * (ci/src/plan/deploy/watch.ts). A crossed threshold throws at once, so the rollback starts
 * within a poll of the breach, not at the end of the window.
 */
import { dirname, join } from "node:path";
import { StageFailure } from "../../ci/src/plan/errors";
import {
  formatVerdict,
  judgeWatch,
  parseAccessLog,
  watchFigures,
  watchRecord,
  type AccessLine,
  type WatchPolicy,
  type WatchVerdict,
} from "../../ci/src/plan/deploy/watch";
import type { ServerInfo } from "../../ci/src/plan/deploy/serverInfo";
import { sh, shStoppable, type DeployContext } from "./context";

/** The watch saw a threshold crossed: the deploy's failure path rolls back and marks the release BAD. */
export class WatchBreachError extends StageFailure {
  constructor(
    readonly verdict: WatchVerdict,
    windowSeconds: number,
  ) {
    super(
      `${formatVerdict(verdict, windowSeconds)}\nthe release was rolled back; see its log lines and fix it, then deploy again`,
    );
  }
}

/** Where nginx writes the log the watch reads. */
export function accessLogPath(server: ServerInfo): string {
  const n = server.nginx;
  if (!n) throw new Error('shared/server.json has no "nginx" settings; the watch reads nginx\'s access log');
  return n.accessLog ?? join(dirname(n.upstreamsFile), "access.log");
}

/**
 * The poll's shell body. nginx keeps appending while it runs: `head` reads exactly the stat'ed size and `tail` drains
 * all of it, so no writer in the pipe can die of SIGPIPE (exit 141 under the deploy's pipefail).
 */
export const READ_ACCESS_LOG = `f=$1; off=$2; size=$(stat -c %s "$f" 2>/dev/null || echo 0)
if [ "$size" -lt "$off" ]; then off=0; fi
echo "$size $off $(date +%s.%N)"
if [ "$size" -gt "$off" ]; then head -c "$size" "$f" | tail -c +$((off + 1)); fi`;

/** One poll: the complete lines after `offset`, the offset after them, and the server's clock. */
export async function readAccessLog(
  ctx: DeployContext,
  offset: number,
): Promise<{ lines: AccessLine[]; offset: number; now: number }> {
  const out = await shStoppable(ctx, "watch", READ_ACCESS_LOG, [accessLogPath(ctx.server!), String(offset)]);
  const nl = out.indexOf("\n");
  const [, from, now] = out
    .slice(0, nl < 0 ? undefined : nl)
    .split(" ")
    .map(Number);
  const text = nl < 0 ? "" : out.slice(nl + 1);
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  return { lines: parseAccessLog(complete), offset: from + Buffer.byteLength(complete), now };
}

/** The access log's size now: where the watch of the next traffic move starts. */
export async function accessLogOffset(ctx: DeployContext): Promise<number> {
  const out = await sh(ctx, "watch", 'stat -c %s "$1" 2>/dev/null || echo 0', [accessLogPath(ctx.server!)]);
  return Number(out.trim()) || 0;
}

/**
 * Watch `release` for `seconds` (policy.windowSeconds unless given): poll each second; throw WatchBreachError on a
 * rollback verdict; return the worst verdict seen (alert over healthy).
 */
export async function watchRelease(
  ctx: DeployContext,
  release: string,
  policy: WatchPolicy,
  seconds = policy.windowSeconds,
  seen?: AccessLine[],
): Promise<WatchVerdict> {
  const lines: AccessLine[] = [];
  let offset = ctx.state.accessLogFrom ?? 0;
  const end = Date.now() + seconds * 1000;
  let worst: WatchVerdict | undefined;
  for (;;) {
    const r = await readAccessLog(ctx, offset);
    offset = r.offset;
    lines.push(...r.lines);
    seen?.push(...r.lines);
    const v = judgeWatch(watchFigures(lines, release, r.now), policy);
    if (v.outcome === "rollback") {
      ctx.state.breachAt = Date.now();
      ctx.state.watch = watchRecord(v, seconds);
      throw new WatchBreachError(v, seconds);
    }
    if (!worst || v.outcome === "alert" || worst.outcome !== "alert") worst = v;
    if (Date.now() >= end) break;
    await new Promise((ok) => setTimeout(ok, Math.min(1000, Math.max(0, end - Date.now()))));
  }
  ctx.state.accessLogFrom = offset;
  return worst!;
}
