/**
 * A loopback load generator for the zero-downtime checks (P7): a few workers per URL send GETs
 * back to back (optionally paced) until stopped, a request budget or a time budget runs out.
 * A request fails when it gets no response (refused, reset, timeout) or a status other than 200.
 * Each response's X-Release header is counted, which shows the switch happened under load.
 */
import { InputError } from "../../ci/src/plan/errors";
import http from "node:http";

export interface LoadOptions {
  urls: string[];
  /** Reuse connections (HTTP keep-alive agent) or send `Connection: close` on a new one each time. */
  keepAlive: boolean;
  /** Workers per URL. */
  concurrency?: number;
  /** Pause per worker between requests, ms (0: back to back). */
  pauseMs?: number;
  /** Hard bounds: the generator stops by itself at whichever comes first. */
  maxRequests?: number;
  maxSeconds?: number;
  timeoutMs?: number;
}

export interface UrlCount {
  ok: number;
  failed: number;
  releases: Record<string, number>;
}

export interface LoadReport {
  sent: number;
  ok: number;
  failed: number;
  seconds: number;
  keepAlive: boolean;
  perUrl: Record<string, UrlCount>;
  /** The first few failures, e.g. "GET http://127.0.0.1:8080/: ECONNREFUSED". */
  failures: string[];
}

/** A URL that is not on this machine: the generator only loads loopback servers. */
export class NotLoopbackError extends InputError {
  constructor(readonly url: string) {
    super(`load generator: ${url} is not a loopback URL (use 127.0.0.1, ::1 or localhost)`);
  }
}

export function checkLoopback(url: string): URL {
  const u = new URL(url);
  if (u.protocol !== "http:" || !["127.0.0.1", "localhost", "[::1]"].includes(u.hostname))
    throw new NotLoopbackError(url);
  return u;
}

/** Start loading; `stop()` ends every worker after its request in flight and returns the report. */
export function startLoad(o: LoadOptions): { stop(): Promise<LoadReport>; done: Promise<LoadReport> } {
  const urls = o.urls.map(checkLoopback);
  const agent = new http.Agent({ keepAlive: o.keepAlive, maxSockets: 64 });
  const r: LoadReport = { sent: 0, ok: 0, failed: 0, seconds: 0, keepAlive: o.keepAlive, perUrl: {}, failures: [] };
  for (const u of urls) r.perUrl[u.href] = { ok: 0, failed: 0, releases: {} };
  const started = performance.now();
  const max = o.maxRequests ?? 1_000_000;
  const deadline = started + (o.maxSeconds ?? 120) * 1000;
  let stopped = false;
  const more = () => !stopped && r.sent < max && performance.now() < deadline;
  const worker = async (u: URL) => {
    while (more()) {
      r.sent++;
      const res = await get(u, agent, o.keepAlive, o.timeoutMs ?? 5000);
      count(r, u.href, res);
      if (o.pauseMs) await new Promise((ok) => setTimeout(ok, o.pauseMs));
    }
  };
  const done = Promise.all(urls.flatMap((u) => Array.from({ length: o.concurrency ?? 2 }, () => worker(u)))).then(
    () => {
      agent.destroy();
      r.seconds = (performance.now() - started) / 1000;
      return r;
    },
  );
  return { done, stop: () => ((stopped = true), done) };
}

type Outcome = { status: number; release: string } | { error: string };

function count(r: LoadReport, url: string, res: Outcome): void {
  const c = r.perUrl[url];
  if ("status" in res && res.status === 200) {
    r.ok++;
    c.ok++;
    c.releases[res.release] = (c.releases[res.release] ?? 0) + 1;
    return;
  }
  r.failed++;
  c.failed++;
  if (r.failures.length < 10) r.failures.push(`GET ${url}: ${"status" in res ? `HTTP ${res.status}` : res.error}`);
}

function get(u: URL, agent: http.Agent, keepAlive: boolean, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.get(u, { agent, headers: keepAlive ? {} : { Connection: "close" }, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, release: String(res.headers["x-release"] ?? "-") }));
      res.on("error", (e) => resolve({ error: `response: ${(e as NodeJS.ErrnoException).code ?? e.message}` }));
    });
    req.on("timeout", () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on("error", (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
  });
}

/** One line: totals, then each URL's failures and the releases that answered. */
export function formatLoad(r: LoadReport): string {
  const urls = Object.entries(r.perUrl).map(
    ([u, c]) =>
      `  ${u}: ${c.ok} ok, ${c.failed} failed; served by ${
        Object.entries(c.releases)
          .map(([k, v]) => `${k} ×${v}`)
          .join(", ") || "nobody"
      }`,
  );
  return [
    `${r.sent} requests in ${r.seconds.toFixed(1)} s (${r.keepAlive ? "keep-alive" : "Connection: close"}): ${r.ok} ok, ${r.failed} failed`,
    ...urls,
    ...r.failures.map((f) => `  failure: ${f}`),
  ].join("\n");
}
