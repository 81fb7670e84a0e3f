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
 * Take .dep/deploy.lock atomically, recording the holder, and read the release state in the same round trip. The
 * holder is written to a temp file first, then hard-linked to the lock's name: link(2) creates the name or fails,
 * whatever stands there, so a link (to /dev/null: every run would "hold" it), a FIFO (opening it blocks for ever) or a
 * folder put there by hand is never written through; checkServer names those before this and prints the fix. No lock
 * is ever empty: a run that cannot write its holder (no space left) leaves none. shared/server.json was read and
 * checked before, so nothing here can fail between taking the lock and recording that this run holds it.
 */
export async function lock(ctx: DeployContext): Promise<void> {
  const holder = JSON.stringify({ by: ctx.by, since: new Date().toISOString(), release: ctx.plan.releaseId });
  const out = await sh(
    ctx,
    "lock",
    `mkdir -p .dep; export LC_ALL=C
fail() { rm -f "\${tmp:-}"; echo "could not write .dep/deploy.lock: \${1#*: }" >&2; exit 9; }
tmp=$(mktemp .dep/deploy.lock.XXXXXX 2>&1) || { err=$tmp; tmp=; fail "$err"; }
err=$(printf "%s\n" "$1" 2>&1 >"$tmp") || fail "$err"
if err=$(ln -T "$tmp" .dep/deploy.lock 2>&1); then rm -f "$tmp"; echo LOCKED
elif [ -f .dep/deploy.lock ] && [ ! -L .dep/deploy.lock ]; then rm -f "$tmp"; head -c 4096 .dep/deploy.lock; echo
elif [ -e .dep/deploy.lock ] || [ -L .dep/deploy.lock ]; then fail "x: it is no file (edited by hand?)"
else fail "$err"
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
