/**
 * A stop signal (SIGINT, SIGQUIT, SIGTERM, SIGHUP) that nothing of the runner traps ends Node by its default action,
 * without process 'exit': a command that only reads (`staging-commit`, `metrics` over ssh, E2E's record on staging,
 * `plan`) would leave what it must undo at exit, its key copy among them. Work registered here runs then,
 * synchronously, and the signal is raised again, so it still ends the process as before. A deploy's trap or the
 * services' stop (scripts/deploy/interrupted.ts, scripts/host/interrupt.ts) ends the run through 'exit' instead, so
 * this steps aside while one listens.
 */
const SIGNALS = ["SIGINT", "SIGQUIT", "SIGTERM", "SIGHUP"] as const;
const work = new Set<() => void>();
let installed = false;

/** Run `undo` at a stop signal nothing else traps, until the returned function is called. */
export function atUntrappedStop(undo: () => void): () => void {
  installUntrappedStop();
  work.add(undo);
  return () => void work.delete(undo);
}

/** Listen for the stop signals (once per process). */
export function installUntrappedStop(): void {
  if (installed) return;
  installed = true;
  for (const sig of SIGNALS) process.on(sig, onSignal);
}

function onSignal(sig: NodeJS.Signals): void {
  if (process.listenerCount(sig) > 1) return;
  for (const undo of work)
    try {
      undo();
    } catch {
      // the next one still runs
    }
  for (const s of SIGNALS) process.off(s, onSignal);
  process.kill(process.pid, sig);
}
