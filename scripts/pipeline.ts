/**
 * The host runner: the same plans as the Dagger module (ci/src), run as local processes.
 *   npm run pipeline -- --help              the commands (the `dagger call` names)
 *   npm run pipeline -- <command> --help    one command's options
 * The commands live in scripts/host/cli/; this file only maps what they throw to an exit code.
 */
import { randomBytes } from "node:crypto";
import { writeSync } from "node:fs";
import { exitCodeOf, isExpected } from "../ci/src/plan/errors";
import { loggable } from "../ci/src/plan/triggers/commits";
import { runCli } from "./host/cli/program";
import { atUntrappedStop, installUntrappedStop } from "./host/untrappedStop";

/**
 * Messages echo what was typed and what a repository holds: control characters in it are written as escapes, never sent
 * to the terminal, and a `##[` too, never read as a workflow command in a CI log.
 */
const printed = (text: string) => text.split("\n").map(loggable).join("\n");

/**
 * Write `text` to `fd` whole, now (in process 'exit' nothing asynchronous runs). Node leaves a pipe non-blocking, so a
 * full one (a slow reader) answers EAGAIN: wait a moment and go on, for at most 10 s. A reader gone (EPIPE) or a
 * terminal closed (EIO) drops the rest: no one can read it, and a throw here was a stack trace.
 */
function writeNow(fd: number, text: string): void {
  let rest = Buffer.from(text);
  const until = Date.now() + 10_000;
  while (rest.length)
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN" || Date.now() > until) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
}

// In a GitHub Actions step the runner reads workflow commands from every line of the step's output: `::add-mask::`,
// `::error::`, `::stop-commands::`, `##[…]` anywhere in a line, and a CR ends a line. Repository commands (a pull
// request's lint, tests, build) print through this process, so their output could give the job such commands. The
// pipeline gives none: it stops them for its whole run, with a token no repository command can know, and resumes
// them once, as it exits: in process 'exit', or at a stop signal that nothing of the runner's own handles (a
// cancelled step's SIGTERM, a `timeout`, during `plan` or `staging-commit`), which ends Node without 'exit'. That
// signal still ends the runner, by its default action, as before.
installUntrappedStop();
if (process.env.GITHUB_ACTIONS === "true") {
  const token = randomBytes(16).toString("hex");
  writeNow(1, `::stop-commands::${token}\n`);
  let resumed = false;
  const resume = () => {
    if (!resumed) writeNow(1, `::${token}::\n`);
    resumed = true;
  };
  process.on("exit", resume);
  // A deploy's trap or the services' stop (scripts/host/interrupt.ts) ends the run, through 'exit'.
  atUntrappedStop(resume);
}

/**
 * Exit once stdout and stderr have handed all that was written to the system: to a pipe (`| less`, `| tee`, a CI log)
 * Node writes asynchronously, and process.exit() at once kept only the first 64 KiB (a long check-commits report lost
 * its offenders and its "Fix:" line). A reader gone (EPIPE) or a terminal closed (EIO) ends the wait as well.
 */
function exitWhenWritten(code: number): void {
  let pending = 2;
  const done = () => --pending === 0 && process.exit(code);
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", () => {});
    stream.write("", done);
  }
}

runCli(process.argv.slice(2)).then(exitWhenWritten, (e) => {
  // InputError (2) and StageFailure (1) carry their fix in the message; anything else is a bug: show the stack.
  console.error(printed(isExpected(e) ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)));
  exitWhenWritten(exitCodeOf(e));
});
