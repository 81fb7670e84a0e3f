/**
 * The host runner: the same plans as the Dagger module (ci/src), run as local processes.
 *   npm run pipeline -- --help              the commands (the `dagger call` names)
 *   npm run pipeline -- <command> --help    one command's options
 * The commands live in scripts/host/cli/; this file only maps what they throw to an exit code.
 */
import { exitCodeOf, isExpected } from "../ci/src/plan/errors";
import { runCli } from "./host/cli/program";

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    // InputError (2) and StageFailure (1) carry their fix in the message; anything else is a bug: show the stack.
    console.error(isExpected(e) ? e.message : e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(exitCodeOf(e));
  },
);
