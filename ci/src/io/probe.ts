/** Network I/O shared by both runners (plain fetch: Node 18+ and the Dagger module runtime have it). */
import type { Probe } from "../plan/e2e/readiness";

/** A probe over fetch (Node 18+ and the Dagger module runtime have it), bounded by a timeout. */
export function fetchProbe(timeoutMs = 5000): Probe {
  return async (url) => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
      return { status: res.status, body: await bodyStart(res, 500) };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      return { error: err.cause?.code ? `${err.cause.code} ${err.cause.message ?? ""}`.trim() : err.message };
    }
  };
}

/**
 * The first `max` characters of a response's body, the rest never read: the app under test (repository code) can
 * answer 200 with a body that never ends, which read whole filled memory until the timeout and failed a ready app.
 */
async function bodyStart(res: Response, max: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < max) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, max);
}
