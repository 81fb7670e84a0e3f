import { appendLog, CONFINED, sh, type DeployContext } from "../context";

/** What the migrate script exits with when `timeout` stopped the migration. */
const TIMED_OUT = 124;

/**
 * The bash that runs deploy.migrate in the release dir with the allow-listed env plus the app's own (its secrets from
 * shared/env, RELEASE_ID, DEPLOY_BASE), within its time bound, and records that it ran. The secrets are read inside
 * the clean shell, so they never pass through an argv. `timeout` runs the migration in a process group of its own and
 * stops all of it (TERM, then KILL 10 s later), so nothing of it runs on once the deploy has given up on it. Where
 * server.json names a `confine` (the bundled staging server), all of it runs confined: of the server's folder, only
 * its release dir is writable.
 */
const MIGRATE = `id=$1; cmd=$2; limit=$3
if [ -f ".dep/migrations/$id.done" ]; then echo "already migrated"; exit 0; fi
cd "releases/$id"
rc=0
repository_env DEPLOY_BASE="$DEPLOY_BASE" RELEASE_ID="$id" ${CONFINED} timeout -k 10 "$limit" bash -c '
for f in "$DEPLOY_BASE"/shared/env/*; do
  [ -f "$f" ] || continue; n=$(basename "$f"); [[ "$n" =~ ^[A-Z][A-Z0-9_]*$ ]] && export "$n=$(cat "$f")"
done
exec bash -c "$1"' _ "$cmd" >&2 || rc=$?
if [ "$rc" = ${TIMED_OUT} ] || [ "$rc" = 137 ]; then
  echo "the migration ran longer than $limit s (deploy.migrateTimeoutSeconds) and was stopped" >&2; exit ${TIMED_OUT}
fi
[ "$rc" = 0 ] || exit "$rc"
cd "$DEPLOY_BASE" && mkdir -p .dep/migrations && date -u +%FT%TZ > ".dep/migrations/$id.done"`;

/**
 * Run deploy.migrate once for this release, on the server, under the deploy lock, before any traffic moves, within
 * deploy.migrateTimeoutSeconds. A failing or overrunning migration stops the deploy; the old release keeps serving
 * (rollback does not undo a migration: see docs/deploy.md). A signal does not cut it (a migration stopped midway
 * leaves the database half-migrated): the run says it waits, and for how long at most.
 */
export async function migrate(ctx: DeployContext): Promise<void> {
  const cmd = ctx.plan.afterSwitch?.migrate ?? "";
  if (!cmd) return;
  const limit = ctx.plan.afterSwitch?.migrateTimeoutSeconds ?? 600;
  const t = Date.now();
  const waiting = () =>
    ctx.log(
      `migrate: waiting for the migration to end (at most ${limit} s, deploy.migrateTimeoutSeconds); a migration cut midway would leave the database half-migrated`,
    );
  ctx.abort?.addEventListener("abort", waiting, { once: true });
  try {
    await sh(
      ctx,
      "migrate",
      MIGRATE,
      [ctx.plan.releaseId, cmd, String(limit)],
      undefined,
      "no traffic moved: the previous release still serves. Fix the migration (expand/contract: see docs/deploy.md) and deploy again",
    );
  } finally {
    ctx.abort?.removeEventListener("abort", waiting);
  }
  await appendLog(ctx, ctx.plan.releaseId, "started", {
    reason: `migrated in ${((Date.now() - t) / 1000).toFixed(1)} s`,
  });
  ctx.log(`migrate: ran "${cmd}" in releases/${ctx.plan.releaseId} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
