import type { PipelineConfig, ThresholdConfig } from "./defaults";
import type { StagePlan, Threshold } from "../job";

/** Convert a config threshold (minutes) into plan seconds. */
export function thresholdOf(t: ThresholdConfig): Threshold {
  return { targetSeconds: t.target * 60, alertSeconds: t.alert * 60 };
}

/** What every stage's summary measures: the coverage gate and the GitHub Actions rate. */
export function metricsOf(c: PipelineConfig): StagePlan["metrics"] {
  return { coverageMin: c.thresholds.coverage, ratePerMinute: c.billing.ratePerMinute };
}
