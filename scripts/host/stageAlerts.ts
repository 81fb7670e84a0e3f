/**
 * The warning events stages raise outside a deploy (seed §9.2): a red E2E run and backend coverage below its
 * minimum, sent to ALERT_WEBHOOK_WARNING (env or .env) when one is set. A channel that is down is a warning only.
 */
import { ALERT_ENV, type AlertEvent } from "../../ci/src/plan/deploy/alerts";
import type { E2eSummary } from "../../ci/src/plan/e2e/summary";
import type { JobResult } from "../../ci/src/plan/report/summary";
import { alertSender } from "../deploy/alerts";
import { deployEnv } from "./target";

/** The coverage-drop events of a stage's results: each job measured below the minimum. */
export function coverageDrops(results: JobResult[], min: number): AlertEvent[] {
  return results
    .filter((r) => r.coverage !== undefined && r.coverage < min)
    .map((r) => ({ kind: "coverage-drop", text: `${r.job} coverage ${r.coverage!.toFixed(2)}% is below ${min}%` }));
}

/** The e2e-failed event of a red run, naming the counts and the commit. */
export function e2eFailure(summary: E2eSummary, commit: string | undefined): AlertEvent[] {
  if (summary.status === "passed") return [];
  const names = summary.failedTests.slice(0, 5).join("; ");
  const text = `E2E (${summary.suite}) failed on ${commit?.slice(0, 12) ?? "an unknown commit"}: ${summary.failed} failed${names ? `: ${names}` : ""}`;
  return [{ kind: "e2e-failed", text }];
}

/** Send the events when any alert webhook is configured; print one redacted line per event. */
export async function sendStageAlerts(events: AlertEvent[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const settings = deployEnv("alerts", env);
  if (!events.length || !Object.values(ALERT_ENV).some((k) => settings[k])) return;
  const send = alertSender(settings, (l) => console.error(`[alert] ${l}`));
  for (const e of events) await send(e);
}
