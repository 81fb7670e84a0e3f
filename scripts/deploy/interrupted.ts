/**
 * SIGINT (Ctrl-C) and SIGTERM (a cancelled CI job) during a deploy or rollback: the step that is safe to stop midway
 * (upload, health, watch) is stopped, any other step finishes, then the failure path runs as for any failure, so the
 * lock is released and the key copies are removed before the process exits.
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

/**
 * Catch SIGINT, SIGTERM and SIGHUP (the terminal closed) from now until dispose(): the first aborts `signal` (with
 * DeployInterrupted as its reason), later ones only say that the clean-up is under way.
 */
export function trapSignals(log: (s: string) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const on = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) return log(`${sig}: still cleaning up (lock, release, key copies); one moment`);
    log(`${sig}: stopping; the lock is released and the key copies removed before exit`);
    controller.abort(new DeployInterrupted(sig));
  };
  const sigs: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of sigs) process.on(s, on);
  return { signal: controller.signal, dispose: () => sigs.forEach((s) => process.off(s, on)) };
}
