import type { E2eSummary } from "./e2eSummary";
import type { PromotionRecord } from "./promotionRecord";

/** The promotion record deploy-production reads, from a run's summary. Pure. */
export function promotionRecordOf(s: E2eSummary, commit: string, report: string, finishedAt: Date): PromotionRecord {
  const backendFailed = s.backend?.failed ?? 0;
  return {
    commit,
    status: s.status,
    suite: s.suite,
    passed: s.passed + (s.backend?.passed ?? 0),
    failed: s.failed + backendFailed,
    flaky: s.flaky,
    finishedAt: finishedAt.toISOString(),
    report,
  };
}
