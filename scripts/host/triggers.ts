/** The host side of plan, check-commits and path-filtered fast-tests: git runs on this machine. */
import { existsSync, readFileSync } from "node:fs";
import { EventPayloadError } from "../../ci/src/plan/triggers/event";
import type { PipelineConfig } from "../../ci/src/plan/config/defaults";
import { formatPlan } from "../../ci/src/plan/triggers/pipeline";
import { checkCommits, DEFAULT_HEAD, planTrigger, type TriggerPorts } from "../../ci/src/flow/triggers";
import { gitPort } from "./git";

/** The trigger flags shared by fast-tests, plan and check-commits. */
export interface TriggerFlags {
  base?: string;
  head?: string;
  eventFile?: string;
  event?: string;
  branch?: string;
}

/** The repository holding `sourceDir` as trigger resolution sees it; the app's path is what git says it is. */
export function triggerPorts(sourceDir: string, eventFile: string | undefined): TriggerPorts {
  const git = gitPort(sourceDir);
  return {
    git,
    eventPayload: async () => {
      if (!eventFile) return undefined;
      if (!existsSync(eventFile)) throw new EventPayloadError(eventFile, "does not exist");
      return { text: readFileSync(eventFile, "utf8"), name: eventFile };
    },
    appPath: async () => {
      const top = await git(["rev-parse", "--show-prefix"]);
      return top.code === 0 ? top.stdout.trim() : "";
    },
  };
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
export async function runPlan(flags: ToolFlags, sourceDir: string, config: PipelineConfig): Promise<number> {
  const changedPaths = flags.changed?.flatMap((c) => c.split(",")).filter(Boolean);
  const plan = await planTrigger({ ...flags, changedPaths }, config, triggerPorts(sourceDir, flags.eventFile));
  console.log(flags.json ? JSON.stringify(plan, null, 2) : formatPlan(plan));
  return 0;
}

/** Check the Conventional Commit subjects between --base and --head; exit 1 (BadCommitsError) listing the offenders. */
export async function runCheckCommits(flags: ToolFlags, sourceDir: string): Promise<number> {
  if (!flags.base) {
    console.error("check-commits needs --base (the target branch or its sha), e.g. --base origin/develop --head HEAD");
    return 2;
  }
  console.log(await checkCommits(flags.base, flags.head ?? DEFAULT_HEAD, gitPort(sourceDir)));
  return 0;
}
