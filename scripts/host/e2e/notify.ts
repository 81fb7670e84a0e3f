import { join } from "node:path";
import { parse } from "dotenv";
import type { E2eSummary } from "../../../ci/src/plan/e2e/summary";
import {
  notificationText,
  shouldNotify,
  webhookPayload,
  webhookWarning,
  type NotifyContext,
  type WebhookKind,
} from "../../../ci/src/plan/e2e/notify";
import { postWebhook } from "../../../ci/src/io/webhook";
import { redactAll } from "../../../ci/src/plan/redact";
import { printable } from "../../../ci/src/plan/triggers/commits";
import { readSettingsFile } from "../target";

const WEBHOOK_VARS: Record<WebhookKind, string> = { slack: "SLACK_WEBHOOK_URL", discord: "DISCORD_WEBHOOK_URL" };

/**
 * Webhook URLs from the environment, else from `.env` in the working directory; both optional. The file is read as
 * every settings file is (readSettingsFile): a FIFO there blocked the runner for ever once the tests had run, before
 * the record and the report; now it, a folder or a device is an error the flow reports as a warning.
 */
export function webhookUrls(
  env: NodeJS.ProcessEnv,
  dotenvFile = join(process.cwd(), ".env"),
): Partial<Record<WebhookKind, string>> {
  const file = parse(readSettingsFile(dotenvFile, printable(dotenvFile)) ?? "");
  const out: Partial<Record<WebhookKind, string>> = {};
  for (const [kind, name] of Object.entries(WEBHOOK_VARS) as [WebhookKind, string][]) {
    const url = env[name] || file[name];
    if (url) out[kind] = url;
  }
  return out;
}

/** Post the summary to each configured webhook; a webhook that fails only returns a warning. */
export async function notify(
  s: E2eSummary,
  ctx: NotifyContext,
  urls: Partial<Record<WebhookKind, string>>,
  onSuccess: boolean,
): Promise<string[]> {
  if (!shouldNotify(s, onSuccess)) return [];
  const text = redactAll(notificationText(s, ctx), Object.values(urls));
  const warnings: string[] = [];
  for (const [kind, url] of Object.entries(urls) as [WebhookKind, string][]) {
    const why = await postWebhook(url, webhookPayload(kind, text));
    if (why) warnings.push(webhookWarning(kind, why));
  }
  return warnings;
}
