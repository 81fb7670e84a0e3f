import type { ThresholdConfig } from "./config";
import type { Threshold } from "./plan";

/** Convert a config threshold (minutes) into plan seconds. */
export function thresholdOf(t: ThresholdConfig): Threshold {
  return { targetSeconds: t.target * 60, alertSeconds: t.alert * 60 };
}
