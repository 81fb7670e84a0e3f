/** The one webhook POST of the Dagger runner: curl in a container, the URL(s) a secret variable, never in argv. */
import { dag, ReturnType, type Secret } from "@dagger.io/dagger";
import {
  parseFailedPosts,
  WEBHOOK_PAYLOAD,
  WEBHOOK_URL_VARIABLE,
  webhookPostArgv,
  type FailedPost,
} from "../plan/webhook";
import { withRunId } from "./runId";

/** The image that posts webhooks. */
export const CURL_IMAGE = "curlimages/curl:8.11.1";

/** POST a JSON body to every URL the secret holds (one a line); the posts that failed. Never replayed. */
export async function postWebhook(url: Secret, body: string, runId: string): Promise<FailedPost[]> {
  const curl = withRunId(
    dag.container().from(CURL_IMAGE).withNewFile(WEBHOOK_PAYLOAD, body).withSecretVariable(WEBHOOK_URL_VARIABLE, url),
    runId,
  ).withExec(webhookPostArgv(), { expect: ReturnType.Any });
  return parseFailedPosts(await curl.stdout());
}
