/**
 * What a trigger resolves to (event, branch, the diff between base and head), the plan it gives, and the commit
 * check of a pull request, written once: each runner passes its git (a container or this machine) and how it reads
 * the event payload and the app's place in the repository.
 */
import type { PipelineConfig } from "../plan/config/defaults";
import { listCommits } from "../plan/triggers/commitRange";
import { BadCommitsError, findBadCommits, formatCommitReport } from "../plan/triggers/commits";
import { commitOf, OptionLikeRevisionError, resolveDiffBase, type Git } from "../plan/triggers/diffBase";
import type { BaseResolution } from "../plan/triggers/diffRequest";
import { parseEventPayload } from "../plan/triggers/event";
import { planPipeline, type PipelinePlan } from "../plan/triggers/pipeline";

/** Diff from the parent when only --head is given. */
export const DEFAULT_BASE = "HEAD~1";
/** Diff up to the checked-out commit when only --base is given. */
export const DEFAULT_HEAD = "HEAD";

/** What a call said about its trigger. */
export interface TriggerArgs {
  base?: string;
  head?: string;
  event?: string;
  branch?: string;
}

/** How a runner reaches the repository for trigger resolution. */
export interface TriggerPorts {
  git: Git;
  /** The event payload (`--event-file`) read, with its name for messages; undefined when none was given. */
  eventPayload(): Promise<{ text: string; name: string } | undefined>;
  /** Where the app sits inside the repository (`examples/app`), for matching changed paths; "" at the root. */
  appPath(): Promise<string>;
}

/** The event, branch and diff a trigger resolves to; no diff when neither an event file nor base/head was given. */
export interface ResolvedTrigger {
  event?: string;
  branch?: string;
  /** The pull request's number, from the event file. */
  pullRequest?: number;
  /** A pull request typed by hand (`--event pull_request`, no event file): the commit it tests, naming its caches. */
  headCommit?: string;
  resolution?: BaseResolution;
  prefix: string;
}

/** Resolve the event payload, else base/head (each defaulting), else nothing to diff. */
export async function resolveTrigger(args: TriggerArgs, ports: TriggerPorts): Promise<ResolvedTrigger> {
  const [payload, prefix] = await Promise.all([ports.eventPayload(), ports.appPath()]);
  if (payload) {
    const ctx = parseEventPayload(payload.text, args.event, payload.name);
    const resolution = await resolveDiffBase(ctx.request, ports.git);
    const pr = ctx.pullRequest === undefined ? {} : { pullRequest: ctx.pullRequest };
    return { event: ctx.event, branch: args.branch ?? ctx.branch, ...pr, resolution, prefix };
  }
  if (!args.base && !args.head)
    return { event: args.event, branch: args.branch, ...(await handTyped(args, ports)), prefix };
  const range = { kind: "range" as const, base: args.base ?? DEFAULT_BASE, head: args.head ?? DEFAULT_HEAD };
  const resolution = await resolveDiffBase(range, ports.git);
  return { event: args.event, branch: args.branch, ...(await handTyped(args, ports)), resolution, prefix };
}

/**
 * A pull request typed by hand has no number or branch to name its caches by (plan/triggers/cacheScope.ts): its head
 * commit does (`--head`, else HEAD); none outside a git checkout. Asked only for a pull request.
 */
async function handTyped(args: TriggerArgs, ports: TriggerPorts): Promise<{ headCommit?: string }> {
  if (args.event !== "pull_request") return {};
  const head = args.head ?? DEFAULT_HEAD;
  if (head.startsWith("-")) throw new OptionLikeRevisionError("head", head);
  const headCommit = await commitOf(head, ports.git);
  return headCommit ? { headCommit } : {};
}

/** What would run for a trigger and why; explicit changed paths stand instead of a diff. */
export async function planTrigger(
  args: TriggerArgs & { stage?: string; changedPaths?: string[] },
  c: PipelineConfig,
  ports: TriggerPorts,
): Promise<PipelinePlan> {
  const t = await resolveTrigger(args, ports);
  const input = { stage: args.stage, changedPaths: args.changedPaths, baseResolution: t.resolution, prefix: t.prefix };
  return planPipeline({ ...input, event: t.event ?? "", branch: t.branch ?? "" }, c);
}

/** Check the commit subjects between base and head; the report, or BadCommitsError listing the offenders. */
export async function checkCommits(base: string, head: string, git: Git): Promise<string> {
  const commits = await listCommits(base, head, git);
  const bad = findBadCommits(commits);
  if (bad.length) throw new BadCommitsError(bad, commits.length);
  return formatCommitReport(commits.length, bad);
}
