/**
 * The engine side of plan, check-commits and path-filtered fast-tests: the same pure
 * planning as the host runner, with git run in a container (daggerGit.ts).
 */
import type { Directory, File } from "@dagger.io/dagger";
import { listCommits } from "../plan/triggers/commitRange";
import type { PipelineConfig } from "../plan/config/defaults";
import { BadCommitsError, findBadCommits, formatCommitReport } from "../plan/triggers/commits";
import { containerGit } from "./git";
import { runStage } from "./stage";
import { resolveDiffBase } from "../plan/triggers/diffBase";
import type { BaseResolution } from "../plan/triggers/diffRequest";
import { selectFastTests } from "../plan/fastTests/selection";
import { planFastTests } from "../plan/fastTests/stage";
import { parseEventPayload } from "../plan/triggers/event";
import { formatPlan, planPipeline, type PlanInput } from "../plan/triggers/pipeline";

/** What a function was told about the trigger. */
export interface TriggerArgs {
  base?: string;
  head?: string;
  eventFile?: File;
  event?: string;
}

/** The event, branch and diff the args describe; no diff when neither --event-file nor --base/--head was given. */
export async function resolveTrigger(
  args: TriggerArgs,
  repo: Directory,
): Promise<{ event?: string; branch?: string; resolution?: BaseResolution }> {
  if (args.eventFile) {
    const ctx = parseEventPayload(await args.eventFile.contents(), args.event, await args.eventFile.name());
    return { event: ctx.event, branch: ctx.branch, resolution: await resolveDiffBase(ctx.request, containerGit(repo)) };
  }
  if (!args.base && !args.head) return { event: args.event };
  const resolution = await resolveDiffBase(
    { kind: "range", base: args.base ?? "HEAD~1", head: args.head ?? "HEAD" },
    containerGit(repo),
  );
  return { event: args.event, resolution };
}

/** Run fast-tests, skipping (with reasons in the summary) the jobs the diff does not touch. */
export async function runFilteredFastTests(
  source: Directory,
  c: PipelineConfig,
  args: TriggerArgs,
  repo: Directory,
  appPath: string,
): Promise<string> {
  const stage = planFastTests(c);
  const t = await resolveTrigger(args, repo);
  if (!t.resolution) return runStage(source, stage);
  const sel = selectFastTests(stage, { ...t, resolution: t.resolution, prefix: appPath }, c);
  return [...sel.warnings.map((w) => `warning: ${w}`), await runStage(source, sel.stage, sel.skipped)].join("\n");
}

/** The plan as text or JSON, resolving base/head in the repository when given. */
export async function planText(
  input: Omit<PlanInput, "baseResolution">,
  args: TriggerArgs,
  repo: Directory,
  c: PipelineConfig,
  json: boolean,
): Promise<string> {
  const t = args.base || args.head ? await resolveTrigger(args, repo) : {};
  const plan = planPipeline({ ...input, baseResolution: t.resolution }, c);
  return json ? JSON.stringify(plan, null, 2) : formatPlan(plan);
}

/** Check the commit subjects between base and head; throw BadCommitsError listing the offenders. */
export async function checkCommitRange(base: string, head: string, repo: Directory): Promise<string> {
  const commits = await listCommits(base, head, containerGit(repo));
  const bad = findBadCommits(commits);
  if (bad.length) throw new BadCommitsError(bad, commits.length);
  return formatCommitReport(commits.length, bad);
}
