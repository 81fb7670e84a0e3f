/**
 * The host side of plan, check-commits and path-filtered fast-tests (mirrors ci/src/dagger/triggers.ts):
 * the same pure planning, with git run on this machine.
 */
import { existsSync, readFileSync } from "node:fs";
import type { BaseResolution } from "../../ci/src/plan/triggers/diffRequest";
import { resolveDiffBase } from "../../ci/src/plan/triggers/diffBase";
import { EventPayloadError, parseEventPayload } from "../../ci/src/plan/triggers/event";
import { hostGit } from "./git";
import { findBadCommits, formatCommitReport } from "../../ci/src/plan/triggers/commits";
import { listCommits } from "../../ci/src/plan/triggers/commitRange";
import type { PipelineConfig } from "../../ci/src/plan/config/defaults";
import { formatPlan, planPipeline } from "../../ci/src/plan/triggers/pipeline";

/** The trigger flags shared by fast-tests, plan and check-commits. */
export interface TriggerFlags {
  base?: string;
  head?: string;
  eventFile?: string;
  event?: string;
  branch?: string;
}

/**
 * What the flags resolve to on this machine: event, branch, the diff (when asked for) and the app's place in the repo.
 */
export interface ResolvedTrigger {
  event?: string;
  branch?: string;
  resolution?: BaseResolution;
  /** The source directory relative to the repository root, for matching changed paths. */
  prefix: string;
}

/** Resolve --event-file or --base/--head against the git repository holding `sourceDir`. */
export async function resolveTrigger(flags: TriggerFlags, sourceDir: string): Promise<ResolvedTrigger> {
  const git = hostGit(sourceDir);
  const top = await git(["rev-parse", "--show-prefix"]);
  const prefix = top.code === 0 ? top.stdout.trim() : "";
  if (flags.eventFile) {
    if (!existsSync(flags.eventFile)) throw new EventPayloadError(flags.eventFile, "does not exist");
    const ctx = parseEventPayload(readFileSync(flags.eventFile, "utf8"), flags.event, flags.eventFile);
    const resolution = await resolveDiffBase(ctx.request, git);
    return { event: ctx.event, branch: flags.branch ?? ctx.branch, resolution, prefix };
  }
  if (flags.base || flags.head) {
    const resolution = await resolveDiffBase(
      { kind: "range", base: flags.base ?? "HEAD~1", head: flags.head ?? "HEAD" },
      git,
    );
    return { event: flags.event, branch: flags.branch, resolution, prefix };
  }
  return { event: flags.event, branch: flags.branch, prefix };
}

/** Flags of the commands that plan or check rather than run a stage. */
export interface ToolFlags extends TriggerFlags {
  stage?: string;
  changed?: string[];
  json?: boolean;
  /** The e2e command's flags. */
  e2e?: import("./e2e/run").E2eFlags;
}

/** Print what would run for a trigger and why (text, or JSON with --json); exit 0. */
export async function planCommand(flags: ToolFlags, sourceDir: string, config: PipelineConfig): Promise<number> {
  const t = await resolveTrigger(flags, sourceDir);
  const changedPaths = flags.changed?.flatMap((c) => c.split(",")).filter(Boolean);
  const plan = planPipeline(
    {
      event: flags.event ?? t.event ?? "",
      branch: flags.branch ?? t.branch ?? "",
      stage: flags.stage,
      changedPaths,
      baseResolution: t.resolution,
      prefix: t.prefix,
    },
    config,
  );
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
