/**
 * The E2E promotion record: the E2E stage writes one per commit to staging's
 * `.dep/e2e/<full-commit-sha>.json` (or `.pipeline/e2e/<sha>.json` without a target);
 * deploy-production reads it and refuses a commit whose record is not green.
 */
import { badReleases, parseReleaseLog } from "./releaseLog";

export interface PromotionRecord {
  commit: string;
  status: "passed" | "failed";
  suite: string;
  passed: number;
  failed: number;
  flaky: number;
  finishedAt: string;
  /** Where the merged report lives (a path or URL). */
  report: string;
  /** The staging release E2E tested and its artifact digest (`sha256:` + hex of its MANIFEST): what production gets. */
  release?: string;
  artifact?: string;
}

/** A record as read from staging: and whether staging's release log has marked its release BAD since. */
export interface ReadRecord extends PromotionRecord {
  markedBad?: boolean;
}

/** Where a commit's record sits, relative to DEPLOY_BASE. */
export function promotionRecordPath(commit: string): string {
  if (!/^[0-9a-f]{40}$/.test(commit))
    throw new Error(`"${commit}" is not a full 40-hex commit sha; pass the full sha (git rev-parse HEAD)`);
  return `.dep/e2e/${commit}.json`;
}

/** A record is a few hundred bytes; more is not one. */
export const RECORD_MAX_BYTES = 64 * 1024;

/** Between the record and the release log's BAD lines in promotionRecordScript's output (never a line of JSON). */
const BAD_MARKS = "@@ releases marked BAD on staging @@";
/** The BAD lines are short; a log of more is cut to its newest. */
const BAD_MAX_BYTES = 1024 * 1024;

/**
 * The remote script that prints a commit's record, then staging's BAD marks (base path validated plain, so never
 * quoted), run by both runners. Only regular files (a link to /dev/zero or a FIFO printed for ever, or blocked, the
 * promotion), and at most one byte past RECORD_MAX_BYTES of the record, which then reads as no record. The BAD lines:
 * a release E2E passed can be rolled back on staging later, and a gate reading the record alone promoted it. Always
 * exit 0: a failing ssh is the only failure.
 */
export function promotionRecordScript(basePath: string, commit: string): string {
  const [file, log] = [`${basePath}/${promotionRecordPath(commit)}`, `${basePath}/.dep/releases.jsonl`];
  return (
    `f=${file}; l=${log}; if [ -f "$f" ]; then head -c ${RECORD_MAX_BYTES + 1} -- "$f" 2>/dev/null; fi; ` +
    `printf '\\n%s\\n' '${BAD_MARKS}'; ` +
    `if [ -f "$l" ]; then grep -E '"status" *: *"bad"' -- "$l" 2>/dev/null | tail -c ${BAD_MAX_BYTES}; fi; true`
  );
}

/** The verdict on promoting a commit: allowed, or refused with the reason and the next command. */
export type PromotionCheck = { ok: true } | { ok: false; reason: string };

/** Decide whether `commit` may go to production, from its record on staging (undefined when absent). Pure. */
export function checkPromotion(record: ReadRecord | undefined, commit: string): PromotionCheck {
  const rerun = `run the E2E stage for ${commit.slice(0, 7)} on staging (\`dagger call end-to-end\` or \`npm run pipeline -- end-to-end\`), or pass --force-reason "..."`;
  if (!record) return { ok: false, reason: `no E2E record for commit ${commit} on staging; ${rerun}` };
  if (record.commit !== commit)
    return { ok: false, reason: `the E2E record is for commit ${record.commit}, not ${commit}; ${rerun}` };
  if (record.status !== "passed" || record.failed > 0) {
    return {
      ok: false,
      reason: `E2E for ${commit.slice(0, 7)} is ${record.status} (${record.failed} failed, report ${record.report}); ${rerun}`,
    };
  }
  if (record.markedBad)
    return {
      ok: false,
      reason: `staging's release ${record.release}, which E2E tested for ${commit.slice(0, 7)}, has since been marked BAD on staging (a rollback or a failed watch); deploy a fixed commit to staging and run E2E on it, or pass --force-reason "..."`,
    };
  return { ok: true };
}

/**
 * Parse what promotionRecordScript printed (or a record's JSON text alone, a local record); anything malformed counts
 * as no record. `markedBad` when staging's BAD lines name the release the record names.
 */
export function parsePromotionRecord(text: string | undefined): ReadRecord | undefined {
  const [json, bad] = (text ?? "").split(`\n${BAD_MARKS}\n`);
  if (!json.trim() || json.length > RECORD_MAX_BYTES) return undefined;
  try {
    const r = JSON.parse(json) as Partial<PromotionRecord>;
    if (typeof r.commit !== "string" || (r.status !== "passed" && r.status !== "failed")) return undefined;
    const record = { suite: "", passed: 0, failed: 0, flaky: 0, finishedAt: "", report: "", ...r } as PromotionRecord;
    const marked = typeof record.release === "string" && badReleases(parseReleaseLog(bad ?? "")).has(record.release);
    return marked ? { ...record, markedBad: true } : record;
  } catch {
    return undefined;
  }
}
