/**
 * The E2E promotion record: the E2E stage writes one per commit to staging's
 * `.dep/e2e/<full-commit-sha>.json` (or `.pipeline/e2e/<sha>.json` without a target);
 * deploy-production reads it and refuses a commit whose record is not green.
 */

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

/** Where a commit's record sits, relative to DEPLOY_BASE. */
export function promotionRecordPath(commit: string): string {
  if (!/^[0-9a-f]{40}$/.test(commit))
    throw new Error(`"${commit}" is not a full 40-hex commit sha; pass the full sha (git rev-parse HEAD)`);
  return `.dep/e2e/${commit}.json`;
}

/** A record is a few hundred bytes; more is not one. */
export const RECORD_MAX_BYTES = 64 * 1024;

/**
 * The remote script that prints a record (file: base path validated plain, so never quoted), run by both runners: only
 * a regular file (a link to /dev/zero or a FIFO printed for ever, or blocked, the promotion), and at most one byte past
 * RECORD_MAX_BYTES, which then reads as no record. Always exit 0: a failing ssh is the only failure.
 */
export function promotionRecordScript(file: string): string {
  return `f=${file}; if [ -f "$f" ]; then head -c ${RECORD_MAX_BYTES + 1} -- "$f" 2>/dev/null; fi; true`;
}

/** The verdict on promoting a commit: allowed, or refused with the reason and the next command. */
export type PromotionCheck = { ok: true } | { ok: false; reason: string };

/** Decide whether `commit` may go to production, from its record on staging (undefined when absent). Pure. */
export function checkPromotion(record: PromotionRecord | undefined, commit: string): PromotionCheck {
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
  return { ok: true };
}

/** Parse a record's JSON text; anything malformed counts as no record. */
export function parsePromotionRecord(text: string | undefined): PromotionRecord | undefined {
  if (!text?.trim() || text.length > RECORD_MAX_BYTES) return undefined;
  try {
    const r = JSON.parse(text) as Partial<PromotionRecord>;
    if (typeof r.commit !== "string" || (r.status !== "passed" && r.status !== "failed")) return undefined;
    return { suite: "", passed: 0, failed: 0, flaky: 0, finishedAt: "", report: "", ...r } as PromotionRecord;
  } catch {
    return undefined;
  }
}
