/**
 * The host runner's command line: one commander program, each command with its own options and help.
 * Command names are the `dagger call` ones. A flag a command does not take, a value out of range or not
 * in its list, stops here with exit 2 and one line naming the flag and the fix, before anything runs.
 */
import type { EventEmitter } from "node:events";
import { Command, CommanderError } from "commander";
import { addDeploy } from "./deploy";
import { addE2e } from "./e2e";
import { CliInputError, helpLine, isPrinted, parseErrorOf } from "./errors";
import { addFastTests } from "./fastTests";
import { addInit } from "./init";
import { addMetrics } from "./metrics";
import { addStagingServer } from "./staging";
import { addTriggers } from "./triggers";
import { sandboxMode } from "../sandbox";
import { printable } from "../../../ci/src/plan/triggers/commits";
import { isRepeatable } from "./values";

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
  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride((e) => {
      throw isPrinted(e) ? e : parseErrorOf(e, cmd);
    });
    onceEach(cmd);
  }
  return program;
}

/**
 * A flag that takes one value may be given once, or again with the same value: with another one, the last would win
 * without a word (`rollback --target staging … --target production` rolled back production), so it is an input
 * error naming both. Repeatable flags (collect, collectOnce) add up as before.
 */
function onceEach(cmd: Command): void {
  const given = new Map<string, string>();
  for (const o of cmd.options) {
    if (!o.required || o.variadic || isRepeatable(o.parseArg)) continue;
    const flag = o.long ?? o.short ?? o.flags;
    // Before commander's own listener, which sets the value.
    (cmd as unknown as EventEmitter).prependListener(`option:${o.name()}`, (v: string) => {
      const before = given.get(flag);
      if (before !== undefined && before !== v)
        throw new CliInputError(
          `${flag} is given twice (${JSON.stringify(printable(before))}, then ${JSON.stringify(printable(v))}); pass it once; see: ${helpLine(cmd)}`,
        );
      given.set(flag, v);
    });
  }
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
