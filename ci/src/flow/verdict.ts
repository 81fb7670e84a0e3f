/**
 * Every quality check's one-line verdict, written once for both tiers and both runners: fast-tests' checks
 * (flow/quality.ts) and E2E's (flow/e2e.ts) turn their judgements into lines here, so each reads
 * `<check>: <passed|WARNING|FAILED>, <headline> (<facts>); <remarks>`.
 */
import type { Judged, WithVerdict } from "../plan/quality/judged";

/** The line: the label from the status (WARNING: findings that only inform), the headline, its facts, remarks. */
export function formatVerdict(j: Judged): string {
  const label = j.status === "failed" ? "FAILED" : j.warns ? "WARNING" : "passed";
  const facts = j.facts.length ? ` (${j.facts.join("; ")})` : "";
  return [`${j.check}: ${label}, ${j.headline}${facts}`, ...j.remarks].join("; ");
}

/** Judgements with their lines, in order. */
export function withVerdicts<T extends Judged>(judged: T[]): WithVerdict<T>[] {
  return judged.map((j) => ({ ...j, verdict: formatVerdict(j) }));
}
