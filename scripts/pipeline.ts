/**
 * The host runner: the same plans as the Dagger module (ci/src), run as local processes.
 *   npm run pipeline -- --help              the commands (the `dagger call` names)
 *   npm run pipeline -- <command> --help    one command's options
 * The commands live in scripts/host/cli/; this file only maps what they throw to an exit code.
 */
import { exitCodeOf, isExpected } from "../ci/src/plan/errors";
import { printable } from "../ci/src/plan/triggers/commits";
import { runCli } from "./host/cli/program";

/** Messages echo what was typed: control characters in it are written as escapes, never sent to the terminal. */
const printed = (text: string) => text.split("\n").map(printable).join("\n");

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    // InputError (2) and StageFailure (1) carry their fix in the message; anything else is a bug: show the stack.
    console.error(printed(isExpected(e) ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)));
    process.exit(exitCodeOf(e));
  },
);
