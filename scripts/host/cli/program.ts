/**
 * The host runner's command line: one commander program, each command with its own options and help.
 * Command names are the `dagger call` ones. A flag a command does not take, a value out of range or not
 * in its list, stops here with exit 2 and one line naming the flag and the fix, before anything runs.
 */
import { Command, CommanderError } from "commander";
import { addDeploy } from "./deploy";
import { addE2e } from "./e2e";
import { isPrinted, parseErrorOf } from "./errors";
import { addFastTests } from "./fastTests";
import { addInit } from "./init";
import { addMetrics } from "./metrics";
import { addStagingServer } from "./staging";
import { addTriggers } from "./triggers";
import { sandboxMode } from "../sandbox";

/** Build the program; each command's action hands its exit code to `done`. */
export function buildProgram(done: (code: number) => void): Command {
  const program = new Command("npm run pipeline --")
    .usage("<command> [options]")
    .description("The CI/CD pipeline run as local processes: the same plans as `dagger call`.")
    .showSuggestionAfterError(true)
    // The entry point prints the one-line error; commander's own (multi-line) output is dropped.
    .configureOutput({ outputError: () => {} });
  for (const add of [addFastTests, addTriggers, addInit, addE2e, addStagingServer, addDeploy, addMetrics])
    add(program, done);
  for (const cmd of [program, ...program.commands])
    cmd.exitOverride((e) => {
      throw isPrinted(e) ? e : parseErrorOf(e, cmd);
    });
  return program;
}

/** Parse `argv` (the words after `npm run pipeline --`), run the command, and return its exit code. */
export async function runCli(argv: string[]): Promise<number> {
  let code = 0;
  // Checked before any command runs, as a flag is: the sandbox of repository commands (../sandbox.ts).
  sandboxMode(process.env);
  try {
    await buildProgram((c) => (code = c)).parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError && isPrinted(e)) return 0;
    throw e;
  }
  return code;
}
