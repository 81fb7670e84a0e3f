/**
 * Alert routing by severity (docs/requirements.md#R-alerts), pure: each pipeline event has a severity, each
 * severity has its channels (webhook URLs from ALERT_WEBHOOK_CRITICAL / _WARNING / _INFO,
 * secrets in both runners). A message never carries a URL; a channel is named by its
 * severity and number only.
 */
import { NO_MENTIONS, slackText } from "../webhook";
import { redactAll } from "../redact";

export type Severity = "critical" | "warning" | "info";

/** The events the pipeline raises. */
export type AlertKind =
  | "rollback"
  | "health-failing"
  | "deploy-failed"
  | "migration-failed"
  | "watch-alert"
  | "e2e-failed"
  | "coverage-drop"
  | "webhook-down"
  | "deploy-done";

/** Each event's severity (docs/requirements.md#R-alerts). */
export const SEVERITY_OF: Record<AlertKind, Severity> = {
  rollback: "critical",
  "health-failing": "critical",
  "deploy-failed": "critical",
  "migration-failed": "critical",
  "watch-alert": "warning",
  "e2e-failed": "warning",
  "coverage-drop": "warning",
  "webhook-down": "warning",
  "deploy-done": "info",
};

/** The env variables (host) and Secret names (Dagger) of each severity's channels. */
export const ALERT_ENV: Record<Severity, string> = {
  critical: "ALERT_WEBHOOK_CRITICAL",
  warning: "ALERT_WEBHOOK_WARNING",
  info: "ALERT_WEBHOOK_INFO",
};

export interface AlertEvent {
  kind: AlertKind;
  /** One or a few lines, with no secret in them (release ids, figures, the target's name). */
  text: string;
}

export type AlertChannels = Record<Severity, string[]>;

/** Each severity's webhook URLs: one per line of its variable (blank lines skipped); an unset variable has none. */
export function alertChannels(env: Record<string, string | undefined>): AlertChannels {
  const list = (v: string | undefined) =>
    (v ?? "")
      .split(/\r?\n/)
      .map((u) => u.trim())
      .filter(Boolean);
  return {
    critical: list(env[ALERT_ENV.critical]),
    warning: list(env[ALERT_ENV.warning]),
    info: list(env[ALERT_ENV.info]),
  };
}

/** Where an event goes: its severity and that severity's channels. */
export function routeAlert(e: AlertEvent, channels: AlertChannels): { severity: Severity; urls: string[] } {
  const severity = SEVERITY_OF[e.kind];
  return { severity, urls: channels[severity] };
}

/**
 * The JSON body: `text` for Slack-compatible (escaped), `content` for Discord-compatible webhooks (pinging no one),
 * plus the routing fields. An alert can carry a force reason or a commit's subject: text a person typed.
 */
export function alertPayload(e: AlertEvent, severity: Severity, secrets: string[]) {
  const text = redactAll(`[${severity}] ${e.kind}: ${e.text}`, secrets);
  return {
    text: slackText(text),
    content: text.length > 2000 ? `${text.slice(0, 1990)}\n…` : text,
    allowed_mentions: NO_MENTIONS,
    severity,
    event: e.kind,
  };
}

/** A channel that did not take an alert, named by severity and position, never by URL. */
export function channelDownText(severity: Severity, index: number, why: string): string {
  return `the ${severity} alert channel #${index + 1} (${ALERT_ENV[severity]}) did not take an alert (${why}); the pipeline's result stands. Check that webhook.`;
}
