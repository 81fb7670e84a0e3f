/** The E2E webhooks on the engine: the summary posted to each webhook Secret given. */
import type { Secret } from "@dagger.io/dagger";
import {
  notificationText,
  shouldNotify,
  webhookPayload,
  webhookWarning,
  type WebhookKind,
} from "../../plan/e2e/notify";
import type { E2eSummary } from "../../plan/e2e/summary";
import { postWebhook } from "../webhook";

/** Post the summary to every webhook given, when it should; return a warning per post that failed. */
export async function notify(
  s: E2eSummary,
  a: { commit?: string; notifySuccess: boolean; webhooks: Partial<Record<WebhookKind, Secret>> },
  suite: string,
  runId: string,
): Promise<string[]> {
  if (!shouldNotify(s, a.notifySuccess)) return [];
  const text = notificationText(s, {
    commit: a.commit ?? "unknown",
    report: `the end-to-end Directory (dagger call end-to-end ... export --path e2e-report), ${suite} suite`,
  });
  const posts = (Object.entries(a.webhooks) as [WebhookKind, Secret | undefined][]).filter(
    (e): e is [WebhookKind, Secret] => !!e[1],
  );
  const failed = await Promise.all(
    posts.map(([kind, secret]) => postWebhook(secret, JSON.stringify(webhookPayload(kind, text)), runId)),
  );
  return posts.flatMap(([kind], i) => failed[i].map((f) => webhookWarning(kind, f.why)));
}
