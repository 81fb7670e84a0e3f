/** plan and check-commits, and the diff options fast-tests shares with them. */
import { Option, type Command } from "commander";
import { EVENTS, STAGES } from "../../../ci/src/plan/triggers/rules";
import { readConfig } from "../config";
import { runCheckCommits, runPlan } from "../triggers";
import { collect, existing, oneOf, plainText } from "./values";
import { sourceAndConfig, withSource, withSourceAndConfig, type SourceOptions } from "./options";

/** The trigger: a GitHub event file, or a --base/--head range, and the event's name. */
export interface DiffOptions {
  base?: string;
  head?: string;
  eventFile?: string;
  event?: string;
}

/** --base/--head, --event-file (a file that exists) and --event (a GitHub event name, exactly). */
export function withDiffOptions(cmd: Command): Command {
  return cmd
    .option("--base <ref>", "diff from this ref (default HEAD~1 when --head is given)", plainText("--base", "HEAD~1"))
    .option("--head <ref>", "diff up to this ref (default HEAD when --base is given)", plainText("--head", "HEAD"))
    .addOption(
      new Option("--event-file <file>", "the GitHub event payload ($GITHUB_EVENT_PATH)").argParser(
        existing("--event-file", "file"),
      ),
    )
    .addOption(
      new Option("--event <name>", "the GitHub event name").choices(EVENTS).argParser(oneOf("--event", EVENTS)),
    );
}

interface PlanOptions extends SourceOptions, DiffOptions {
  branch?: string;
  stage?: string;
  changed?: string[];
  json: boolean;
}

/** Register plan and check-commits. */
export function addTriggers(program: Command, run: (code: number) => void): void {
  const plan = withSourceAndConfig(program.command("plan").description("what would run for a trigger, and why"))
    .option("--branch <name>", "the branch the event is on", plainText("--branch", "develop"))
    .addOption(
      new Option("--stage <name>", "workflow_dispatch: the stage asked for")
        .choices(STAGES)
        .argParser(oneOf("--stage", STAGES)),
    )
    .option(
      "--changed <paths>",
      "changed paths, comma-separated (repeatable) instead of a git diff",
      collect(plainText("--changed", "frontend/app/page.tsx")),
    )
    .option("--json", "print the plan as JSON", false);
  withDiffOptions(plan).action(async (o: PlanOptions) => {
    const { source, config } = sourceAndConfig(o);
    run(await runPlan(o, source, await readConfig(source, config)));
  });
  withSource(program.command("check-commits").description("Conventional Commit subjects between --base and --head"))
    .requiredOption(
      "--base <ref>",
      "the target branch or its sha, e.g. origin/develop",
      plainText("--base", "origin/develop"),
    )
    .option("--head <ref>", "the last commit to check", plainText("--head", "HEAD"), "HEAD")
    .action(async (o: { source: string; base: string; head: string }) => run(await runCheckCommits(o, o.source)));
}
