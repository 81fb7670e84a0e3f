/**
 * Send pipeline events to their severity's webhooks (routing in ci/src/plan/deploy/alerts.ts).
 * A channel that is down becomes a warning (logged, and sent to the warning channels that still
 * work); it never fails the pipeline, and no URL is ever printed.
 */
import {
  alertChannels,
  alertPayload,
  ALERT_ENV,
  channelDownText,
  routeAlert,
  type AlertEvent,
} from "../../ci/src/plan/deploy/alerts";
import { postWebhook } from "../../ci/src/io/webhook";
import { redactAll } from "../../ci/src/plan/redact";

/** Build the sender for these env values; `log` gets a redacted line per event and per channel that failed. */
export function alertSender(
  env: Record<string, string | undefined>,
  log: (line: string) => void,
  otherSecrets: string[] = [],
): (e: AlertEvent) => Promise<void> {
  const channels = alertChannels(env);
  const secrets = [
    ...Object.values(ALERT_ENV)
      .map((k) => env[k])
      .filter((v): v is string => !!v),
    ...otherSecrets,
  ];
  const say = (line: string) => log(redactAll(line, secrets));
  const send = async (e: AlertEvent): Promise<void> => {
    const { severity, urls } = routeAlert(e, channels);
    say(`alert ${severity} ${e.kind}: ${urls.length} channel(s)`);
    const down: string[] = [];
    await Promise.all(
      urls.map(async (url, i) => {
        const why = await postWebhook(url, alertPayload(e, severity, secrets));
        if (why) down.push(channelDownText(severity, i, why));
      }),
    );
    for (const text of down) {
      say(`warning: ${text}`);
      if (e.kind !== "webhook-down") await send({ kind: "webhook-down", text });
    }
  };
  return (e) => send(e);
}
