/** The warning events fast-tests raises: a job whose tests measured coverage below the minimum. Pure. */
import type { AlertEvent } from "../deploy/alerts";
import type { JobResult } from "../report/summary";

/** The coverage-drop events of a stage's results: each job measured below the minimum. */
export function coverageDrops(results: JobResult[], min: number): AlertEvent[] {
  return results
    .filter((r) => r.coverage !== undefined && r.coverage < min)
    .map((r) => ({ kind: "coverage-drop", text: `${r.job} coverage ${r.coverage!.toFixed(2)}% is below ${min}%` }));
}
