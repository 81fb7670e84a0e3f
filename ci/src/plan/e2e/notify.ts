/**
 * E2E notifications for Slack- and Discord-compatible incoming webhooks, pure. The message
 * holds counts, test names, the commit and the report's place, never a secret: webhook URLs
 * are the secrets here, and they only ever reach the runner that posts.
 */
import { NO_MENTIONS, slackText } from "../webhook";
import type { E2eSummary } from "./summary";

export type WebhookKind = "slack" | "discord";

export interface NotifyContext {
  commit: string;
  /** A path or URL where the merged HTML report can be opened. */
  report: string;
}

/** Post on failure always; on success only when asked to. */
export function shouldNotify(s: E2eSummary, onSuccess: boolean): boolean {
  return s.status === "failed" || onSuccess;
}

/** The message text: verdict, counts, failed and flaky names (first 10 each), commit, report. */
export function notificationText(s: E2eSummary, ctx: NotifyContext): string {
  const icon = s.status === "passed" ? "✅" : "❌";
  const b = s.backend;
  const lines = [
    `${icon} E2E ${s.suite} ${s.status === "passed" ? "passed" : "FAILED"} for commit ${ctx.commit}`,
    `Playwright: ${s.passed} passed, ${s.failed} failed, ${s.flaky} flaky, ${s.skipped} skipped (${s.shards.length} shards, ${s.mode})`,
    ...(b ? [`Backend E2E: ${b.passed} passed, ${b.failed} failed`] : []),
    ...list("Failed", [...s.failedTests, ...(b?.failedTests ?? []).map((t) => `backend ${t}`)]),
    ...list("Flaky (passed on retry)", s.flakyTests),
    ...s.problems.map((p) => `Problem: ${p}`),
    ...(s.quality ?? []).map((q) => q.verdict),
    `Report: ${ctx.report}`,
  ];
  return lines.join("\n");
}

/**
 * The JSON body each kind of webhook expects; Discord caps `content` at 2000 characters. Test names are repository
 * text: Slack's is escaped and Discord's pings no one (slackText, NO_MENTIONS).
 */
export function webhookPayload(kind: WebhookKind, text: string): WebhookPayload {
  return kind === "slack"
    ? { text: slackText(text) }
    : { content: text.length > 2000 ? `${text.slice(0, 1990)}\n…` : text, allowed_mentions: NO_MENTIONS };
}

/** A Slack (`text`) or Discord (`content`, `allowed_mentions`) body. */
export interface WebhookPayload {
  text?: string;
  content?: string;
  allowed_mentions?: typeof NO_MENTIONS;
}

/** A warning for a webhook that did not take the message; names the kind, never the URL. */
export function webhookWarning(kind: WebhookKind, why: string): string {
  const name = kind === "slack" ? "Slack" : "Discord";
  return `warning: the ${name} webhook did not take the E2E notification (${why}); the E2E result stands. Check the ${kind === "slack" ? "SLACK_WEBHOOK_URL" : "DISCORD_WEBHOOK_URL"} secret.`;
}

function list(title: string, names: string[]): string[] {
  if (names.length === 0) return [];
  const shown = names.slice(0, 10).map((n) => `• ${n}`);
  return [`${title}:`, ...shown, ...(names.length > 10 ? [`…and ${names.length - 10} more`] : [])];
}
