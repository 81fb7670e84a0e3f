/** One E2E quality check's outcome, as the summary, the report and the notification carry it. Pure. */

export type QualityCheck = "a11y" | "budgets" | "visual";

export interface QualityResult {
  check: QualityCheck;
  status: "passed" | "failed";
  /** The one-line verdict: `a11y: FAILED 1 critical (image-alt) on /`. */
  verdict: string;
  /** One line per finding, page by page. */
  details: string[];
}

/** A check's result from its failing findings, its passing facts and the run's own problems (a report not written). */
export function resultOf(check: QualityCheck, failing: string[], passing: string, problems: string[]): QualityResult {
  const bad = [...problems, ...failing];
  return {
    check,
    status: bad.length ? "failed" : "passed",
    verdict: bad.length
      ? `${check}: FAILED ${bad[0]}${bad.length > 1 ? ` (+${bad.length - 1} more)` : ""}`
      : `${check}: passed ${passing}`,
    details: bad,
  };
}
