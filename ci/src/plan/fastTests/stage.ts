import { planBackendJob } from "./backend";
import type { PipelineConfig } from "../config/defaults";
import { planFrontendJob } from "./frontend";
import type { StagePlan } from "../job";
import { metricsOf, thresholdOf } from "../config/thresholds";

/** Plan Tier 1, fast feedback: the frontend and backend jobs, run in parallel. */
export function planFastTests(c: PipelineConfig, only?: "frontend" | "backend"): StagePlan {
  const jobs = [planFrontendJob(c), planBackendJob(c)].filter((j) => !only || j.name === only);
  const threshold = thresholdOf(c.thresholds.fastTests);
  // The one-job commands (frontend-checks, backend-tests) re-run a job; the checks belong to the whole stage.
  return { name: "fast-tests", jobs, threshold, metrics: metricsOf(c), qualityChecks: only === undefined };
}

/** The command that runs one fast-tests job alone, the same name on both runners (`dagger call` and the host CLI). */
export const JOB_COMMANDS: Record<string, string> = { frontend: "frontend-checks", backend: "backend-tests" };
