/**
 * The host runner's alert channel for stages outside a deploy (coverage-drop, e2e-failed): ALERT_WEBHOOK_* from the
 * environment or .env, when one is set. A channel that is down is a warning only.
 */
import { ALERT_ENV, type AlertEvent } from "../../ci/src/plan/deploy/alerts";
import { alertSender } from "../deploy/alerts";
import { InputError } from "../../ci/src/plan/errors";
import { deployEnv } from "./target";

/** Send the events when any alert webhook is configured, logging a redacted line each; a warning per channel down. */
export async function sendStageAlerts(
  events: AlertEvent[],
  env: NodeJS.ProcessEnv = process.env,
  settingsOf = (e: NodeJS.ProcessEnv) => deployEnv("alerts", e),
): Promise<string[]> {
  // The stage has run: settings the deploy commands would refuse (a key set twice in .env) leave its result as it is.
  let settings: Record<string, string | undefined>;
  try {
    settings = settingsOf(env);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return events.length ? [`warning: alerts not sent: ${e.message.replace(/^input error: /, "")}`] : [];
  }
  if (!events.length || !Object.values(ALERT_ENV).some((k) => settings[k])) return [];
  const warnings: string[] = [];
  const send = alertSender(settings, (l) =>
    l.startsWith("warning: ") ? warnings.push(l) : console.error(`[alert] ${l}`),
  );
  for (const e of events) await send(e);
  return warnings;
}
