import { findBadCommits, formatCommitReport } from "../../ci/src/conventionalCommits";
import { listCommits } from "../../ci/src/commitRange";
import type { PipelineConfig } from "../../ci/src/config";
import { formatPlan, planPipeline } from "../../ci/src/planRun";
import { hostGit } from "./git";
import { resolveTrigger, type TriggerFlags } from "./trigger";

/** Flags of the commands that plan or check rather than run a stage. */
export interface ToolFlags extends TriggerFlags {
  stage?: string;
  changed?: string[];
  json?: boolean;
  /** The e2e command's flags. */
  e2e?: import("./e2e").E2eFlags;
}

/** Print what would run for a trigger and why (text, or JSON with --json); exit 0. */
export async function planCommand(flags: ToolFlags, sourceDir: string, config: PipelineConfig): Promise<number> {
  const t = await resolveTrigger(flags, sourceDir);
  const changedPaths = flags.changed?.flatMap((c) => c.split(",")).filter(Boolean);
  const plan = planPipeline({ event: flags.event ?? t.event ?? "", branch: flags.branch ?? t.branch ?? "", stage: flags.stage, changedPaths, baseResolution: t.resolution, prefix: t.prefix }, config);
  console.log(flags.json ? JSON.stringify(plan, null, 2) : formatPlan(plan));
  return 0;
}

/** Check the Conventional Commit subjects between --base and --head; exit 1 listing the offenders. */
export async function checkCommitsCommand(flags: ToolFlags, sourceDir: string): Promise<number> {
  if (!flags.base) {
    console.error("check-commits needs --base (the target branch or its sha), e.g. --base origin/develop --head HEAD");
    return 2;
  }
  const commits = await listCommits(flags.base, flags.head ?? "HEAD", hostGit(sourceDir));
  const bad = findBadCommits(commits);
  (bad.length ? console.error : console.log)(formatCommitReport(commits.length, bad));
  return bad.length ? 1 : 0;
}
