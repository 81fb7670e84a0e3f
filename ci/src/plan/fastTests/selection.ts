/**
 * Apply path filtering to the fast-tests stage: the jobs to run, and a skipped result
 * (with its reason) for each job left out. Both runners use it; the decision comes from triggers/pipeline.ts.
 */
import type { PipelineConfig } from "../config/defaults";
import type { BaseResolution } from "../triggers/diffRequest";
import type { StagePlan } from "../job";
import { planPipeline } from "../triggers/pipeline";
import { filterPaths, type PathContext } from "../triggers/paths";
import type { JobResult } from "../report/summary";

/** What the trigger said, when known, and what the diff gave. */
export interface SelectionInput extends PathContext {
  event?: string;
  branch?: string;
  resolution: BaseResolution;
}

/** The stage to run, the skipped jobs as results, and the warnings to print. */
export interface FastTestsSelection {
  stage: StagePlan;
  skipped: JobResult[];
  warnings: string[];
}

/** Keep the jobs the plan runs; with an event and branch, the branch table decides whether to filter at all. */
export function selectFastTests(stage: StagePlan, input: SelectionInput, c: PipelineConfig): FastTestsSelection {
  const skips = new Map<string, string>();
  let warnings: string[];
  if (input.event && input.branch) {
    const plan = planPipeline(
      { ...input, event: input.event, branch: input.branch, baseResolution: input.resolution },
      c,
    );
    const fast = plan.stages.find((s) => s.name === "fast-tests");
    for (const j of fast?.jobs ?? []) if (!j.run) skips.set(j.name, j.reason);
    warnings = fast
      ? plan.warnings
      : [
          `the ${plan.rule ?? "branch table"} row has no fast-tests stage for ${input.event} on ${input.branch}: running every job`,
        ];
  } else {
    const d = filterPaths(input.resolution.kind === "diff" ? input.resolution.changedPaths : undefined, c, input);
    for (const s of d.skipped) skips.set(s.job, s.reason);
    warnings =
      input.resolution.kind === "all" ? [input.resolution.warning] : [...input.resolution.warnings, ...d.warnings];
  }
  const skipped: JobResult[] = stage.jobs
    .filter((j) => skips.has(j.name))
    .map((j) => ({ job: j.name, status: "skipped", seconds: 0, threshold: j.threshold, reason: skips.get(j.name) }));
  return { stage: { ...stage, jobs: stage.jobs.filter((j) => !skips.has(j.name)) }, skipped, warnings };
}
