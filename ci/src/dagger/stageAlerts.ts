/** The Dagger runner's alert channel: each event goes to its severity's webhook Secret, when the call gave one. */
import type { Secret } from "@dagger.io/dagger";
import { alertPayload, channelDownText, SEVERITY_OF, type AlertEvent, type Severity } from "../plan/deploy/alerts";
import { postWebhook } from "./webhook";

/** Webhook URL(s), one a line, per severity, as Secrets. */
export type AlertSecrets = Partial<Record<Severity, Secret>>;

/** Send the events to the channels given; a warning line per channel that did not take one. */
export async function sendStageAlerts(events: AlertEvent[], channels: AlertSecrets, runId: string): Promise<string[]> {
  const warnings: string[] = [];
  for (const e of events) {
    const severity = SEVERITY_OF[e.kind];
    const secret = channels[severity];
    if (!secret) continue;
    console.error(`[alert] alert ${severity} ${e.kind}`);
    const failed = await postWebhook(secret, JSON.stringify(alertPayload(e, severity, [])), runId);
    warnings.push(...failed.map((f) => channelDownText(severity, f.index - 1, f.why)));
  }
  return warnings;
}
