import { StageFailure } from "../../../ci/src/plan/errors";
import { parseReleaseState, READ_STATE, sh, type DeployContext } from "../context";

/** Another deploy or rollback holds the lock: who, since when, and the exact command to unlock. */
export class DeployLockedError extends StageFailure {
  constructor(
    readonly holder: string,
    readonly since: string,
    readonly unlockCommand: string,
  ) {
    super(
      `Deploy locked by ${holder} since ${since}. Wait for it to finish, or if it died, unlock with:\n  ${unlockCommand}`,
    );
  }
}

/**
 * Take .dep/deploy.lock atomically (noclobber), recording the holder, and read the release state in the same round
 * trip. shared/server.json was read and checked before (checkServer), so nothing here can fail between taking the
 * lock and recording that this run holds it. A lock this run created but could not write (no space left) is removed
 * at once, so no empty lock stays to block the next run.
 */
export async function lock(ctx: DeployContext): Promise<void> {
  const holder = JSON.stringify({ by: ctx.by, since: new Date().toISOString(), release: ctx.plan.releaseId });
  const out = await sh(
    ctx,
    "lock",
    `mkdir -p .dep
if err=$( (LC_ALL=C; set -o noclobber; printf "%s\\n" "$1" > .dep/deploy.lock) 2>&1 ); then echo LOCKED
elif [[ "$err" == *"cannot overwrite existing file"* ]]; then cat .dep/deploy.lock
else [ -s .dep/deploy.lock ] || rm -f .dep/deploy.lock; echo "could not write .dep/deploy.lock: \${err#*: }" >&2; exit 9
fi
echo "@@@"; ${READ_STATE}`,
    [holder],
  );
  const [result, snapshot = ""] = out.split("@@@\n");
  if (result.trim() === "LOCKED") {
    ctx.state.locked = true;
    ctx.state.snapshot = parseReleaseState(snapshot);
    return;
  }
  let held: { by?: string; since?: string };
  try {
    held = JSON.parse(result);
  } catch {
    held = { by: result.trim() || "an unknown holder" };
  }
  throw new DeployLockedError(held.by ?? "?", held.since ?? "?", ctx.remote.typed(`rm ${ctx.base}/.dep/deploy.lock`));
}
