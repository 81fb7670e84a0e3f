/** deploy-staging, deploy-production, rollback: the deploy commands' options (the tasks are scripts/deploy). */
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { checkArtifact } from "../artifact";
import { runDeploy, runRollback, type DeployFlags } from "../deploy";
import { listReleasesCommand } from "../releases";
import { sourceAndConfig, withSourceAndConfig } from "./options";
import { BOUNDS } from "../../../ci/src/plan/bounds";
import { validateReleaseId } from "../../../ci/src/plan/deploy/releaseId";
import { bounded, givenPath, nonBlank, oneOf } from "./values";

const TARGETS = ["staging", "production"] as const;
const STRATEGIES = ["bluegreen", "canary"] as const;

/** Register the two deploys and the rollback. */
export function addDeploy(program: Command, run: (code: number) => void): void {
  deployOptions(program.command("deploy-staging"))
    .description("build once, deploy to staging over SSH, health, watch window, auto-rollback")
    .action(async (o: DeployFlags) => run(await runDeploy("staging", flagsOf(o))));
  deployOptions(program.command("deploy-production"))
    .description("deploy a commit with a green E2E record on staging (or --force-reason)")
    .addOption(
      new Option(
        "--force-reason <text>",
        "deploy without the E2E record, saying why (logged in releases.jsonl)",
      ).argParser(nonBlank("--force-reason", "hotfix for INC-123")),
    )
    .action(async (o: DeployFlags) => run(await runDeploy("production", flagsOf(o))));
  withSourceAndConfig(program.command("rollback").description("back to the previous good release, or to --to ID"))
    .addOption(
      new Option("--target <name>", "which server")
        .choices(TARGETS)
        .default("staging")
        .argParser(oneOf("--target", TARGETS)),
    )
    .addOption(new Option("--to <id>", "the release to return to (default: the previous good one)").conflicts("list"))
    .option("--list", "list the releases, marking current, BAD and where a rollback goes; change nothing", false)
    // After parsing (the list command it prints needs --target, given before or after --to), before any settings.
    .hook("preAction", (cmd) => {
      const { to, target } = cmd.opts<{ to?: string; target: (typeof TARGETS)[number] }>();
      if (to !== undefined) validateReleaseId(to, target);
    })
    .action(async (o: DeployFlags & { target: (typeof TARGETS)[number]; to?: string; list: boolean }) =>
      run(o.list ? await listReleasesCommand(o.target) : await runRollback(o.target, { ...flagsOf(o), to: o.to })),
    );
}

function deployOptions(cmd: Command): Command {
  return withSourceAndConfig(cmd)
    .addOption(
      new Option("--artifact <dir>", "a release built before (default: build one from --source)").argParser(
        artifactDir,
      ),
    )
    .option("--commit <sha>", "the commit deployed (default: HEAD of --source)")
    .addOption(
      new Option(
        "--keep <n>",
        `releases kept on the server, 1..${BOUNDS["deploy.keep"].max} (default: deploy.keep)`,
      ).argParser(bounded("--keep", "deploy.keep")),
    )
    .addOption(
      new Option("--strategy <name>", "how traffic moves (default: deploy.strategy)")
        .choices(STRATEGIES)
        .argParser(oneOf("--strategy", STRATEGIES)),
    );
}

/** `--artifact DIR` checked as a release while parsing, and made real (a link is followed to the release it names). */
function artifactDir(v: string): string {
  return realpathSync(checkArtifact(resolve(givenPath("--artifact", v))));
}

/** The flags with --source made real and --config checked inside it. */
function flagsOf(o: DeployFlags): DeployFlags {
  return { ...o, ...sourceAndConfig(o) };
}
