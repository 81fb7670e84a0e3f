/** The warning event a red E2E run raises. Pure. */
import type { AlertEvent } from "../deploy/alerts";
import type { E2eSummary } from "./summary";

/** The e2e-failed event of a red run, naming the counts and the commit. */
export function e2eFailure(summary: E2eSummary, commit: string | undefined): AlertEvent[] {
  if (summary.status === "passed") return [];
  const names = summary.failedTests.slice(0, 5).join("; ");
  const checks = (summary.quality ?? []).filter((q) => q.status === "failed").map((q) => `; ${q.verdict}`);
  const text = `E2E (${summary.suite}) failed on ${commit?.slice(0, 12) ?? "an unknown commit"}: ${summary.failed} failed${names ? `: ${names}` : ""}${checks.join("")}`;
  return [{ kind: "e2e-failed", text }];
}
