import { existsSync, readFileSync } from "node:fs";
import type { BaseResolution } from "../../ci/src/diffRequest";
import { resolveDiffBase } from "../../ci/src/diffBase";
import { EventPayloadError, parseEventPayload } from "../../ci/src/githubEvent";
import { hostGit } from "./git";

/** The trigger flags shared by fast-tests, plan and check-commits. */
export interface TriggerFlags {
  base?: string;
  head?: string;
  eventFile?: string;
  event?: string;
  branch?: string;
}

/** What the flags resolve to on this machine: event, branch, the diff (when asked for) and the app's place in the repo. */
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
    const resolution = await resolveDiffBase({ kind: "range", base: flags.base ?? "HEAD~1", head: flags.head ?? "HEAD" }, git);
    return { event: flags.event, branch: flags.branch, resolution, prefix };
  }
  return { event: flags.event, branch: flags.branch, prefix };
}
