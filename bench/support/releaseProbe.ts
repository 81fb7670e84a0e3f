/**
 * Which release answers through nginx: the frontend page and the backend health, each on a fresh connection
 * (`Connection: close`), each carrying the release its own process reports (X-App-Release, see releaseMarker.ts)
 * and the release nginx routes to (X-Release). A rollback is healthy only when the TARGET release answers both.
 */
import http from "node:http";
import { StageFailure } from "../../ci/src/plan/errors";
import { checkLoopback } from "../../scripts/host/loadGenerator";

/** One response: its status (0 when none came) and the two release markers ("" when absent). */
export interface Answer {
  status: number;
  app: string;
  nginx: string;
}

export interface ReleaseProbe {
  frontend: Answer;
  backend: Answer;
}

/** The paths a probe asks for: the frontend page and the API health endpoint. */
export const PROBE_PATHS = { frontend: "/", backend: "/api/v1/health" } as const;

/** GET one URL on a new connection; never throws (a failure is status 0). */
export function answer(url: string, timeoutMs = 2000): Promise<Answer> {
  const u = checkLoopback(url);
  return new Promise((resolve) => {
    const none = { status: 0, app: "", nginx: "" };
    const req = http.get(u, { agent: false, headers: { Connection: "close" }, timeout: timeoutMs }, (res) => {
      res.resume();
      const header = (k: string) => String(res.headers[k] ?? "");
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, app: header("x-app-release"), nginx: header("x-release") }),
      );
      res.on("error", () => resolve(none));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(none));
  });
}

/** Ask the frontend page and the backend health of `origin` (e.g. http://127.0.0.1:8080) at once. */
export async function probe(origin: string): Promise<ReleaseProbe> {
  const [frontend, backend] = await Promise.all([
    answer(new URL(PROBE_PATHS.frontend, origin).href),
    answer(new URL(PROBE_PATHS.backend, origin).href),
  ]);
  return { frontend, backend };
}

/** True when both answered 200 and both the app's and nginx's markers name `target`. */
export function servedBy(p: ReleaseProbe, target: string): boolean {
  return [p.frontend, p.backend].every((a) => a.status === 200 && a.app === target && a.nginx === target);
}

/** One line for an error message: what each side answered. */
export function formatProbe(p: ReleaseProbe): string {
  const f = (a: Answer) => `HTTP ${a.status || "none"}, app ${a.app || "-"}, nginx ${a.nginx || "-"}`;
  return `frontend ${PROBE_PATHS.frontend}: ${f(p.frontend)}; backend ${PROBE_PATHS.backend}: ${f(p.backend)}`;
}

/**
 * Poll `origin` from now until `target` serves both sides; the seconds that took. Once `until` settles (the
 * rollback command ended) the target gets `graceMs` more, then this throws with what was answered last.
 */
export async function secondsUntilServed(
  origin: string,
  target: () => string,
  until: Promise<unknown>,
  graceMs = 10_000,
): Promise<number> {
  const start = performance.now();
  let deadline = Infinity;
  void until.finally(() => (deadline = performance.now() + graceMs)).catch(() => {});
  for (;;) {
    const p = await probe(origin);
    if (servedBy(p, target())) return (performance.now() - start) / 1000;
    if (performance.now() > deadline) throw new NotServedError(target(), p);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The target release did not answer both sides in time. */
export class NotServedError extends StageFailure {
  constructor(
    readonly target: string,
    readonly last: ReleaseProbe,
  ) {
    super(`release ${target} is not serving both sides through nginx; last answers: ${formatProbe(last)}`);
  }
}
