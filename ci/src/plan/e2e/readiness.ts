/**
 * Waiting for a deployed app before any browser starts. The loop is pure apart from the
 * probe and the sleep it is given, so both runners (and the tests) share it.
 */
import { checkBound } from "../bounds";
import { MAX_READY_WAIT_SECONDS } from "../config/values";
import { InputError, StageFailure } from "../errors";

/** What one request to a URL gave: a status and the start of the body, or a connection error. */
export interface ProbeResult {
  status?: number;
  body?: string;
  error?: string;
}

export type Probe = (url: string) => Promise<ProbeResult>;

export interface ReadinessOptions {
  attempts: number;
  intervalSeconds: number;
  /** The command that deploys what is waited for, named in the failure (default: the host runner's). */
  redeploy?: string;
}

/**
 * The readiness policy from flags (or function arguments) over the config's e2e.readyAttempts/readyIntervalSeconds:
 * each given value within the bound its config key has, and the whole wait no longer than the config allows.
 */
export function readinessPolicy(
  config: { readyAttempts: number; readyIntervalSeconds: number },
  attempts?: number,
  intervalSeconds?: number,
): ReadinessOptions {
  const p = {
    attempts:
      attempts === undefined ? config.readyAttempts : checkBound("e2e.readyAttempts", "--ready-attempts", attempts),
    intervalSeconds:
      intervalSeconds === undefined
        ? config.readyIntervalSeconds
        : checkBound("e2e.readyIntervalSeconds", "--ready-interval", intervalSeconds),
  };
  const wait = p.attempts * p.intervalSeconds;
  if (wait > MAX_READY_WAIT_SECONDS)
    throw new InputError(
      `--ready-attempts ${p.attempts} × --ready-interval ${p.intervalSeconds} waits ${wait} s for the app; it must be at most ${MAX_READY_WAIT_SECONDS} s: pass fewer attempts or a shorter interval, e.g. --ready-attempts 30 --ready-interval 10`,
    );
  return p;
}

/** Staging never became ready: names the URL, the attempts and the last response. */
export class NotReadyError extends StageFailure {
  constructor(
    readonly url: string,
    readonly attempts: number,
    readonly last: ProbeResult,
    redeploy = "npm run pipeline -- deploy-staging",
  ) {
    super(
      `${url} was not ready after ${attempts} attempt${attempts === 1 ? "" : "s"}; last response: ${describeProbe(last)}. ` +
        `Check the deploy (${redeploy}), or wait longer with --ready-attempts/--ready-interval.`,
    );
  }
}

/** Describe a probe result in one line, e.g. `HTTP 503 "starting"` or `connect ECONNREFUSED`. */
export function describeProbe(r: ProbeResult): string {
  if (r.error) return r.error;
  const body = (r.body ?? "").replace(/\s+/g, " ").trim().slice(0, 200);
  return `HTTP ${r.status}${body ? ` ${JSON.stringify(body)}` : ""}`;
}

/** Wait until every URL answers 2xx, one after the other; throw NotReadyError naming the first that never did. */
export async function waitForReady(
  urls: string[],
  o: ReadinessOptions,
  probe: Probe,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  for (const url of urls) {
    let last: ProbeResult = { error: "not tried" };
    let ready = false;
    for (let i = 1; i <= o.attempts && !ready; i++) {
      last = await probe(url);
      ready = last.status !== undefined && last.status >= 200 && last.status < 300;
      if (!ready && i < o.attempts) await sleep(o.intervalSeconds * 1000);
    }
    if (!ready) throw new NotReadyError(url, o.attempts, last, o.redeploy);
  }
}

/** The URLs to wait for: the frontend, and the API's health endpoint. */
export function readinessUrls(baseUrl: string, apiUrl: string, healthPath: string): string[] {
  return [baseUrl, `${apiUrl.replace(/\/+$/, "")}${healthPath}`];
}
