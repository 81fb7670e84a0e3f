/**
 * The start of every E2E function, written once: read the source, plan, check what the jobs need, then wait for the
 * deployed app (or let the runner serve one) before any browser starts. `waitForReady` is the loop; this is the order.
 */
import type { PipelineConfig } from "../plan/config/defaults";
import { readinessPolicy, readinessUrls, waitForReady, type Probe } from "../plan/e2e/readiness";
import { E2eInputError, planE2e, type E2eInput, type E2ePlan } from "../plan/e2e/stage";

/** What an E2E function was asked: the suite, the shard count, the deployed app (if any), how long to wait. */
export interface E2eRequest {
  /** Whose command line the hints name. */
  runner: "dagger" | "host";
  suite: string;
  shards: number;
  baseUrl?: string;
  apiUrl?: string;
  readyAttempts?: number;
  readyInterval?: number;
}

/**
 * What the plan reads from the source: the spec files, the frontend's Playwright version, the shard timings, and
 * where the runner keeps the quality tools (none: installed into the container).
 */
export type E2eSource = Pick<E2eInput, "files" | "timings" | "playwrightVersion" | "qualityTools">;

/** What the start needs from a runner. */
export interface E2eStartPorts {
  readSource(): Promise<E2eSource>;
  /** Check what the plan's jobs need before any waiting (the host's tools; the engine's images bring theirs). */
  preflight(plan: E2ePlan): Promise<void>;
  /** Start the app here when no URL was given, and say where; absent where a deployed app is required. */
  serve?(): Promise<{ baseUrl: string; apiUrl: string }>;
  probe: Probe;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
}

const REDEPLOY = { dagger: "dagger call deploy-staging", host: "npm run pipeline -- deploy-staging" } as const;
/** The URLs of a plan made before the app is served: planning needs them well-formed, nothing calls them. */
const NOT_YET_SERVED = "http://127.0.0.1";

/** Read, plan, preflight, then wait for the deployed app (or serve one and plan for it); return the plan. */
export async function e2eStartFlow(c: PipelineConfig, req: E2eRequest, ports: E2eStartPorts): Promise<E2ePlan> {
  const ready = { ...readinessPolicy(c.e2e, req.readyAttempts, req.readyInterval), redeploy: REDEPLOY[req.runner] };
  if (!!req.baseUrl !== !!req.apiUrl || (!req.baseUrl && !ports.serve))
    throw new E2eInputError(
      `pass both --base-url and --api-url (a deployed app)${ports.serve ? ", or neither (the example app is started locally)" : ""}`,
    );
  const input = { suite: req.suite, shards: req.shards, runner: req.runner, ...(await ports.readSource()) };
  const plan = planE2e(c, { ...input, baseUrl: req.baseUrl || NOT_YET_SERVED, apiUrl: req.apiUrl || NOT_YET_SERVED });
  for (const w of plan.warnings) ports.log(`warning: ${w}`);
  await ports.preflight(plan);
  if (!req.baseUrl || !req.apiUrl) return planE2e(c, { ...input, ...(await ports.serve!()) });
  ports.log(
    `waiting for ${req.baseUrl} and ${req.apiUrl} (${ready.attempts} attempts, ${ready.intervalSeconds}s apart)`,
  );
  await waitForReady(readinessUrls(req.baseUrl, req.apiUrl, c.e2e.healthPath), ready, ports.probe, ports.sleep);
  return plan;
}
