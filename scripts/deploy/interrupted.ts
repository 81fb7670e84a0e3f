/**
 * SIGINT (Ctrl-C), SIGQUIT (Ctrl-\\), SIGHUP (the terminal closed) and SIGTERM (a cancelled CI job) during a deploy or
 * rollback: the step that is safe to stop midway (upload, health, watch) is stopped, any other step finishes, then the
 * failure path runs as for any failure, so the lock is released and the key copies are removed before the process
 * exits.
 */
import { constants } from "node:os";
import { StageFailure } from "../../ci/src/plan/errors";

/** The run was stopped by a signal; exits 128 + the signal's number, as a shell reports it. */
export class DeployInterrupted extends StageFailure {
  override readonly exitCode: number;
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.exitCode = 128 + (constants.signals[signal] ?? 15);
  }
}

/** Throw DeployInterrupted if the run's abort signal fired. */
export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw signal.reason instanceof DeployInterrupted ? signal.reason : new DeployInterrupted("SIGTERM");
}

/** `signal` once it fired, or after `ms` if it does not: a signal to this process lands a moment after its child's. */
export async function interruptSettled(signal: AbortSignal | undefined, ms = 1000): Promise<AbortSignal | undefined> {
  if (!signal || signal.aborted) return signal;
  await new Promise<void>((ok) => {
    const timer = setTimeout(ok, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), ok()), { once: true });
  });
  return signal;
}

/** The signals a terminal, a person or a supervisor sends to end a process; each would kill Node at once. */
const STOP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGQUIT", "SIGTERM", "SIGHUP"];

/**
 * A closed terminal (EIO) or pipe (EPIPE: `| head` done, `less` quit) fails every later write to stdout and stderr;
 * unhandled, the first such error would end the process there, with the lock held and the release half made. Output
 * no one can read any more is dropped instead: the run goes on, or, on the SIGHUP that comes with a closed terminal,
 * runs its failure path.
 */
function dropUnreadableOutput(): void {
  for (const stream of [process.stdout, process.stderr])
    if (!stream.listeners("error").includes(ignoreWriteError)) stream.on("error", ignoreWriteError);
}

function ignoreWriteError(): void {}

/**
 * Catch STOP_SIGNALS from now until dispose(): the first aborts `signal` (with DeployInterrupted as its reason), later
 * ones only say that the clean-up is under way. Output that can no longer be written is dropped from now on.
 */
export function trapSignals(log: (s: string) => void): { signal: AbortSignal; dispose(): void } {
  dropUnreadableOutput();
  const controller = new AbortController();
  const on = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) return log(`${sig}: still cleaning up (lock, release, key copies); one moment`);
    log(`${sig}: stopping; the lock is released and the key copies removed before exit`);
    controller.abort(new DeployInterrupted(sig));
  };
  for (const s of STOP_SIGNALS) process.on(s, on);
  return { signal: controller.signal, dispose: () => STOP_SIGNALS.forEach((s) => process.off(s, on)) };
}
