/**
 * The host runner's alert channel for stages outside a deploy (coverage-drop, e2e-failed): ALERT_WEBHOOK_* from the
 * environment or .env, when one is set. A channel that is down is a warning only.
 */
import { ALERT_ENV, type AlertEvent } from "../../ci/src/plan/deploy/alerts";
import { alertSender } from "../deploy/alerts";
import { deployEnv } from "./target";

/** Send the events when any alert webhook is configured, logging a redacted line each; a warning per channel down. */
export async function sendStageAlerts(events: AlertEvent[], env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const settings = deployEnv("alerts", env);
  if (!events.length || !Object.values(ALERT_ENV).some((k) => settings[k])) return [];
  const warnings: string[] = [];
  const send = alertSender(settings, (l) =>
    l.startsWith("warning: ") ? warnings.push(l) : console.error(`[alert] ${l}`),
  );
  for (const e of events) await send(e);
  return warnings;
}
