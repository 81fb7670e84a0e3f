/**
 * The watch window after the switch (docs/requirements.md#R-watch), pure: parse nginx access-log lines
 * (`$msec $status $request_time $deploy_release`), compute the error rate and p95 of one
 * release's requests over the trailing minute, and judge them against the thresholds.
 */

/** Thresholds from `deploy.watch` in pipeline.yaml. */
export interface WatchPolicy {
  /** How long to watch after the switch (and each canary step); 0 turns the watch off. */
  windowSeconds: number;
  /** Roll back when 5xx ÷ requests exceeds this, in percent. */
  errorRatePercent: number;
  /** Fewer requests than this in the span: too few to judge the error rate or p95. */
  minRequests: number;
  /** Roll back when p95 of the response time exceeds this. */
  p95RollbackSeconds: number;
  /** Alert (warning) when p95 exceeds this. */
  p95AlertSeconds: number;
}

/** docs/requirements.md#R-watch: error rate > 5 % over 1 min or p95 > 5 s rolls back; p95 > 2 s alerts. */
export const defaultWatchPolicy = (): WatchPolicy => ({
  windowSeconds: 60,
  errorRatePercent: 5,
  minRequests: 20,
  p95RollbackSeconds: 5,
  p95AlertSeconds: 2,
});

/** The span the rates are computed over: the trailing minute (docs/requirements.md#R-watch). */
export const RATE_SPAN_SECONDS = 60;

/** One request as nginx logged it. */
export interface AccessLine {
  /** Unix time, seconds with ms. */
  time: number;
  status: number;
  /** $request_time: first byte read to last byte sent. */
  seconds: number;
  /** The release that served it (X-Release), "-" when none. */
  release: string;
}

/** The nginx log_format the watch reads (scripts/host/staging/configs.ts). */
export const WATCH_LOG_FORMAT = "$msec $status $request_time $deploy_release";

/** Parse access-log text; lines that do not fit the format (a torn last line, another format) are skipped. */
export function parseAccessLog(text: string): AccessLine[] {
  const out: AccessLine[] = [];
  for (const line of text.split("\n")) {
    const [t, s, r, release] = line.trim().split(/\s+/);
    const time = Number(t);
    const status = Number(s);
    const seconds = Number(r);
    if (!release || !Number.isFinite(time) || !Number.isInteger(status) || !Number.isFinite(seconds)) continue;
    out.push({ time, status, seconds, release });
  }
  return out;
}

/** What the watch measured. */
export interface WatchFigures {
  requests: number;
  errors: number;
  errorRatePercent: number;
  p95Seconds: number;
}

/** The p-th percentile by nearest rank (0 for no values). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Figures of `release`'s requests logged in (now - span, now]. */
export function watchFigures(
  lines: AccessLine[],
  release: string,
  now: number,
  span = RATE_SPAN_SECONDS,
): WatchFigures {
  const mine = lines.filter((l) => l.release === release && l.time > now - span && l.time <= now);
  const errors = mine.filter((l) => l.status >= 500).length;
  return {
    requests: mine.length,
    errors,
    errorRatePercent: mine.length ? (100 * errors) / mine.length : 0,
    p95Seconds: percentile(
      mine.map((l) => l.seconds),
      95,
    ),
  };
}

/** healthy: stays; alert: stays, with a warning; rollback: a threshold is crossed. */
export type WatchOutcome = "healthy" | "alert" | "rollback";

export interface WatchVerdict {
  outcome: WatchOutcome;
  figures: WatchFigures;
  /** Why, one clause per crossed threshold; or why nothing could be judged. */
  reasons: string[];
}

/** Judge figures against the policy; below minRequests nothing is judged (too little traffic to tell). */
export function judgeWatch(f: WatchFigures, p: WatchPolicy): WatchVerdict {
  if (f.requests < p.minRequests) {
    return {
      outcome: "healthy",
      figures: f,
      reasons: [`${f.requests} requests, fewer than ${p.minRequests} to judge`],
    };
  }
  const rollback: string[] = [];
  if (f.errorRatePercent > p.errorRatePercent)
    rollback.push(`error rate ${pct(f.errorRatePercent)} > ${p.errorRatePercent} %`);
  if (f.p95Seconds > p.p95RollbackSeconds) rollback.push(`p95 ${secs(f.p95Seconds)} > ${p.p95RollbackSeconds} s`);
  if (rollback.length) return { outcome: "rollback", figures: f, reasons: rollback };
  if (f.p95Seconds > p.p95AlertSeconds)
    return { outcome: "alert", figures: f, reasons: [`p95 ${secs(f.p95Seconds)} > ${p.p95AlertSeconds} s`] };
  return { outcome: "healthy", figures: f, reasons: [] };
}

/** One line: outcome, figures, reasons. */
export function formatVerdict(v: WatchVerdict, windowSeconds: number): string {
  const f = v.figures;
  const figures = `${f.requests} requests, ${f.errors} 5xx (${pct(f.errorRatePercent)}), p95 ${secs(f.p95Seconds)}`;
  return `watch ${windowSeconds} s: ${v.outcome.toUpperCase()}: ${figures}${v.reasons.length ? `; ${v.reasons.join("; ")}` : ""}`;
}

/** The verdict as it goes into the release log. */
export function watchRecord(v: WatchVerdict, windowSeconds: number): ReleaseWatchRecord {
  const f = v.figures;
  return {
    outcome: v.outcome,
    windowSeconds,
    requests: f.requests,
    errors: f.errors,
    errorRatePercent: round(f.errorRatePercent),
    p95Seconds: round(f.p95Seconds),
    ...(v.reasons.length ? { reasons: v.reasons } : {}),
  };
}

export interface ReleaseWatchRecord {
  outcome: WatchOutcome;
  windowSeconds: number;
  requests: number;
  errors: number;
  errorRatePercent: number;
  p95Seconds: number;
  reasons?: string[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const pct = (x: number) => `${x.toFixed(1)} %`;
const secs = (x: number) => `${x.toFixed(3)} s`;
