/** The Dagger side of plan, check-commits and path-filtered fast-tests: git runs in a container holding the repo. */
import type { Directory, File } from "@dagger.io/dagger";
import type { PipelineConfig } from "../plan/config/defaults";
import { formatPlan, type PlanInput } from "../plan/triggers/pipeline";
import { checkCommits, planTrigger, type TriggerPorts } from "../flow/triggers";
import { gitPort } from "./git";

/** What a function was told about the trigger. */
export interface TriggerArgs {
  base?: string;
  head?: string;
  eventFile?: File;
  event?: string;
}

/** The repository as trigger resolution sees it: git in a container, the event File, the app's path as given. */
export function triggerPorts(repo: Directory, eventFile: File | undefined, appPath: string): TriggerPorts {
  return {
    git: gitPort(repo),
    eventPayload: async () =>
      eventFile ? { text: await eventFile.contents(), name: await eventFile.name() } : undefined,
    appPath: async () => appPath,
  };
}

/** The plan as text or JSON, resolving base/head in the repository when given. */
export async function runPlan(
  input: Omit<PlanInput, "baseResolution">,
  args: TriggerArgs,
  repo: Directory,
  c: PipelineConfig,
  json: boolean,
): Promise<string> {
  const ports = triggerPorts(repo, undefined, input.prefix ?? "");
  const plan = await planTrigger({ ...input, base: args.base, head: args.head }, c, ports);
  return json ? JSON.stringify(plan, null, 2) : formatPlan(plan);
}

/** Check the commit subjects between base and head; throw BadCommitsError listing the offenders. */
export async function runCheckCommits(base: string, head: string, repo: Directory): Promise<string> {
  return checkCommits(base, head, gitPort(repo));
}
