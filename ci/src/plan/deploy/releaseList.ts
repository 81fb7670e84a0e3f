/** `rollback --list`: the releases on a server, newest first, each with what the release log says of it. Pure. */
import { deployCommand, rollbackCommand, type TargetName } from "./nextCommand";
import { byDeployOrder, chooseRollbackTarget } from "./stage";
import { badReleases, latestStatuses, type ReleaseLogEntry } from "./releaseLog";

/** What the server holds: the release dirs, where `current` points, and the release log. */
export interface ServerReleases {
  existing: string[];
  current?: string;
  log: ReleaseLogEntry[];
}

/**
 * One line per release dir (newest deploy first, `byDeployOrder`), marking current, BAD and the release a bare
 * `rollback` returns to.
 */
export function formatReleaseList(target: TargetName, r: ServerReleases): string {
  if (!r.existing.length) return `no releases on ${target} yet; deploy one with: ${deployCommand(target)}`;
  const status = latestStatuses(r.log);
  const bad = badReleases(r.log);
  const next = chooseRollbackTarget(r.log, r.existing, r.current);
  const width = Math.max(...r.existing.map((id) => id.length));
  const lines = [...r.existing]
    .sort(byDeployOrder(r.log))
    .reverse()
    .map((id) => {
      const marks = [
        id === r.current ? "current" : "",
        bad.has(id) ? "BAD (never a rollback target)" : (status.get(id) ?? "not in the release log"),
        id === next ? "<- rollback goes here" : "",
      ].filter(Boolean);
      return `  ${id.padEnd(width)}  ${marks.join(", ")}`;
    });
  return [
    `releases on ${target}, newest first:`,
    ...lines,
    next
      ? `roll back with: ${rollbackCommand(target)} (or --to <id> for another good one)`
      : `no release to roll back to: deploy a fixed commit instead: ${deployCommand(target)}`,
  ].join("\n");
}
