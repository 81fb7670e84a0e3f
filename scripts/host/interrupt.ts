/**
 * What the host runner started and must stop if a signal ends it. A service (the MongoDB of fast-tests and of the
 * local E2E app) and a server in a process group of its own (uvicorn, the Next server) outlive the runner otherwise:
 * a Ctrl-C reaches only the terminal's process group, a `kill <pid>` or a cancelled job only the runner. While
 * anything is held, SIGINT, SIGQUIT (Ctrl-\\), SIGTERM and SIGHUP stop each (its scratch folder too), then the runner
 * exits 128 + the signal's number, as a shell reports it. A deploy traps the signals itself
 * (scripts/deploy/interrupted.ts).
 */
import { constants } from "node:os";

/** How long the stops may take before the runner exits anyway. */
const STOP_SECONDS = 10;
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGQUIT", "SIGTERM", "SIGHUP"];
const held = new Set<() => Promise<void>>();
let stopping = false;

/** Hold `stop` until the returned release is called: a signal before then runs it before the runner exits. */
export function holdUntilExit(stop: () => Promise<void>): () => void {
  if (held.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  held.add(stop);
  return () => {
    held.delete(stop);
    if (held.size === 0) for (const s of SIGNALS) process.off(s, onSignal);
  };
}

function onSignal(sig: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  const code = 128 + (constants.signals[sig] ?? 15);
  process.stderr.write(`${sig}: stopping the services and servers this run started, then exiting ${code}\n`);
  const timer = setTimeout(() => process.exit(code), STOP_SECONDS * 1000);
  void Promise.all([...held].map((stop) => stop().catch(() => undefined))).then(() => {
    clearTimeout(timer);
    process.exit(code);
  });
}
