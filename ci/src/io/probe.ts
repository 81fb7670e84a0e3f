/** Network I/O shared by both runners (plain fetch: Node 18+ and the Dagger module runtime have it). */
import type { Probe } from "../plan/e2e/readiness";

/** A probe over fetch (Node 18+ and the Dagger module runtime have it), bounded by a timeout. */
export function fetchProbe(timeoutMs = 5000): Probe {
  return async (url) => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
      return { status: res.status, body: (await res.text()).slice(0, 500) };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      return { error: err.cause?.code ? `${err.cause.code} ${err.cause.message ?? ""}`.trim() : err.message };
    }
  };
}
