import { backendJob } from "./backendJob";
import type { PipelineConfig } from "./config";
import { frontendJob } from "./frontendJob";
import type { StagePlan } from "./plan";
import { metricsOf, thresholdOf } from "./thresholds";

/** Plan Tier 1, fast feedback: the frontend and backend jobs, run in parallel. */
export function planFastTests(c: PipelineConfig, only?: "frontend" | "backend"): StagePlan {
  const jobs = [frontendJob(c), backendJob(c)].filter((j) => !only || j.name === only);
  return { name: "fast-tests", jobs, threshold: thresholdOf(c.thresholds.fastTests), metrics: metricsOf(c) };
}
