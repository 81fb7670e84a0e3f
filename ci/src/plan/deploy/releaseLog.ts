/**
 * The release log: `.dep/releases.jsonl` on the server, one JSON object per line,
 * appended by every deploy and rollback. Pure reading and folding here.
 */
import { isReleaseId } from "./releaseId";
import type { ReleaseWatchRecord } from "./watch";

/**
 * started: dir created; healthy: live and passed health (its watch window not over yet); deployed: passed health and
 * the watch; failed: died before the switch; bad: failed after the switch; rollback: made live again by a rollback.
 */
export type ReleaseStatus = "started" | "healthy" | "deployed" | "failed" | "bad" | "rollback";

export interface ReleaseLogEntry {
  id: string;
  commit: string;
  time: string;
  status: ReleaseStatus;
  /** Who ran it (user@host). */
  by?: string;
  /** Why: a failure's message, or a production deploy's --force-reason. */
  reason?: string;
  /** The release's artifact digest (`sha256:` + hex of its MANIFEST), on the deploy's own entries. */
  artifact?: string;
  /** For `rollback`: the release current left. */
  from?: string;
  /** The watch window's verdict and figures (deployed after it, or bad when it rolled back). */
  watch?: ReleaseWatchRecord;
  /** Seconds from the start of the deploy to this entry (deployed, failed, bad). */
  seconds?: number;
  /** The release's manifest digest (`sha256:…`), recorded when a deploy made it live (plan/deploy/manifest.ts). */
  digest?: string;
}

/**
 * Parse the JSON-lines text; malformed lines (a crash mid-write) are skipped, and so are lines whose fields are not
 * what a deploy writes (a hand-edited or foreign log): every reader (rollback, retention, metrics) may then rely on
 * the types (`time` text, `seconds` a finite number; a time no date parses falls outside every period).
 */
export function parseReleaseLog(text: string): ReleaseLogEntry[] {
  const out: ReleaseLogEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as unknown;
      if (isLogEntry(e)) out.push(e);
    } catch {
      continue;
    }
  }
  return out;
}

function isLogEntry(e: unknown): e is ReleaseLogEntry {
  if (typeof e !== "object" || e === null || Array.isArray(e)) return false;
  const x = e as Record<string, unknown>;
  return (
    typeof x.id === "string" &&
    isReleaseId(x.id) &&
    typeof x.status === "string" &&
    typeof x.time === "string" &&
    (x.commit === undefined || typeof x.commit === "string") &&
    (x.seconds === undefined || (typeof x.seconds === "number" && Number.isFinite(x.seconds)))
  );
}

/** One line of the log, newline-terminated. */
export function formatLogEntry(e: ReleaseLogEntry): string {
  return `${JSON.stringify(e)}\n`;
}

/** The latest status of each release (a rollback entry leaves its release's status as it was). */
export function latestStatuses(log: ReleaseLogEntry[]): Map<string, ReleaseStatus> {
  const m = new Map<string, ReleaseStatus>();
  for (const e of log) if (e.status !== "rollback") m.set(e.id, e.status);
  return m;
}

/** Release ids ever marked BAD (BAD is sticky: a later entry never clears it). */
export function badReleases(log: ReleaseLogEntry[]): Set<string> {
  return new Set(log.filter((e) => e.status === "bad").map((e) => e.id));
}

/**
 * Releases that passed health at some point (healthy, deployed, or made live again by a rollback, which checks health
 * first) and were never marked BAD: the only releases a rollback may return to or cleanup must keep.
 */
export function passedHealth(log: ReleaseLogEntry[]): Set<string> {
  const bad = badReleases(log);
  const ok = ["healthy", "deployed", "rollback"];
  return new Set(log.filter((e) => ok.includes(e.status) && !bad.has(e.id)).map((e) => e.id));
}

/**
 * Release dirs the log cannot account for: no line names them, yet their manifest was recorded (.dep/manifests/<id>),
 * so they went live once and the log that named them was lost (rotated away, emptied). They are not the deploy's to
 * remove or count, as a folder that is no release is not. A dir with neither a line nor a manifest is a run's killed
 * between creating it and its first line: it never went live, and the next deploy removes it.
 */
export function unaccounted(existing: string[], log: ReleaseLogEntry[], recorded: string[] = []): Set<string> {
  const named = new Set(log.map((e) => e.id));
  const live = new Set(recorded);
  return new Set(existing.filter((id) => !named.has(id) && live.has(id)));
}
