import { WEBHOOK_TIMEOUT_SECONDS } from "../plan/webhook";

/** POST a JSON body to a webhook URL; undefined when it took it, else why not, never quoting the URL. */
export async function postWebhook(url: string, body: unknown): Promise<string | undefined> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_SECONDS * 1000),
      // A channel takes the post at its own URL: a redirect would send the body to another host (a 303 even turns it
      // into a GET, to the cloud metadata address if asked), so it is a failed post, as with curl on the Dagger path.
      redirect: "manual",
    });
    await res.body?.cancel();
    return res.ok ? undefined : `HTTP ${res.status}`;
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    // fetch's own message can quote the URL: report only the cause's code.
    return err.cause?.code ?? err.name;
  }
}
