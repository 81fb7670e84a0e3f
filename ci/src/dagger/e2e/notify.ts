/** The E2E webhooks on the engine: one curl container per webhook, its URL a secret variable, never in argv. */
import { dag, ReturnType, type Secret } from "@dagger.io/dagger";
import {
  notificationText,
  shouldNotify,
  webhookPayload,
  webhookWarning,
  type WebhookKind,
} from "../../plan/e2e/notify";
import type { E2eSummary } from "../../plan/e2e/summary";
import { withRunId } from "../runId";
import { settledExit } from "./outcome";

/** The image that posts webhooks: curl reads the URL from a secret variable, never from argv. */
export const CURL_IMAGE = "curlimages/curl:8.11.1";

/** Post the summary to every webhook given, when it should; return a warning per post that failed. */
export async function notifyAll(
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
  const codes = await Promise.all(
    posts.map(([kind, secret]) => postWebhook(secret, JSON.stringify(webhookPayload(kind, text)), runId)),
  );
  return posts.flatMap(([kind], i) => (codes[i] === 0 ? [] : [webhookWarning(kind, `curl exit ${codes[i]}`)]));
}

/** POST a JSON body to a webhook whose URL is a Secret; the shell reads it from $WEBHOOK_URL. Never replayed. */
export async function postWebhook(url: Secret, body: string, runId: string): Promise<number> {
  const curl = withRunId(
    dag.container().from(CURL_IMAGE).withNewFile("/tmp/payload.json", body).withSecretVariable("WEBHOOK_URL", url),
    runId,
  ).withExec(
    [
      "sh",
      "-c",
      'curl -fsS -m 10 -X POST -H "content-type: application/json" --data @/tmp/payload.json "$WEBHOOK_URL" >/dev/null',
    ],
    { expect: ReturnType.Any },
  );
  return (await settledExit(curl)).code;
}
