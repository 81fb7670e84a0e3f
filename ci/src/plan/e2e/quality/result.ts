/** One E2E quality check's outcome, as the summary, the report and the notification carry it. Pure. */
import type { Judged, WithVerdict } from "../../quality/judged";

export type QualityCheck = "a11y" | "budgets" | "visual";

/** A check judged, before its line (flow/verdict.ts writes it). */
export interface QualityJudged extends Judged {
  check: QualityCheck;
  /** One line per finding, page by page. */
  details: string[];
}

/** A check judged, with its one-line verdict: `a11y: FAILED, 1 violation at or above serious: critical image-alt …`. */
export type QualityResult = WithVerdict<QualityJudged>;

/**
 * A check's judgement from its failing findings (the first in the headline), the headline when none fails, the run's
 * own problems (a report not written, which come first) and the facts measured.
 */
export function resultOf(
  check: QualityCheck,
  failing: string[],
  passing: string,
  problems: string[],
  facts: string[] = [],
): QualityJudged {
  const bad = [...problems, ...failing];
  return {
    check,
    status: bad.length ? "failed" : "passed",
    warns: false,
    headline: bad.length ? `${bad[0]}${bad.length > 1 ? ` (+${bad.length - 1} more)` : ""}` : passing,
    facts,
    remarks: [],
    details: bad,
  };
}
