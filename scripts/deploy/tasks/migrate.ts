import { appendLog, sh, type DeployContext } from "../context";

/**
 * The bash that runs deploy.migrate in the release dir with the allow-listed env plus the app's own (its secrets from
 * shared/env, RELEASE_ID, DEPLOY_BASE), and records that it ran. The secrets are read inside the clean shell, so they
 * never pass through an argv.
 */
const MIGRATE = `id=$1; cmd=$2
if [ -f ".dep/migrations/$id.done" ]; then echo "already migrated"; exit 0; fi
cd "releases/$id"
repository_env DEPLOY_BASE="$DEPLOY_BASE" RELEASE_ID="$id" bash -c '
for f in "$DEPLOY_BASE"/shared/env/*; do
  [ -f "$f" ] || continue; n=$(basename "$f"); [[ "$n" =~ ^[A-Z][A-Z0-9_]*$ ]] && export "$n=$(cat "$f")"
done
exec bash -c "$1"' _ "$cmd" >&2
cd "$DEPLOY_BASE" && mkdir -p .dep/migrations && date -u +%FT%TZ > ".dep/migrations/$id.done"`;

/**
 * Run deploy.migrate once for this release, on the server, under the deploy lock, before any traffic moves. A failing
 * migration stops the deploy; the old release keeps serving (rollback does not undo a migration: see docs/deploy.md).
 */
export async function migrate(ctx: DeployContext): Promise<void> {
  const cmd = ctx.plan.afterSwitch?.migrate ?? "";
  if (!cmd) return;
  const t = Date.now();
  await sh(
    ctx,
    "migrate",
    MIGRATE,
    [ctx.plan.releaseId, cmd],
    undefined,
    "no traffic moved: the previous release still serves. Fix the migration (expand/contract: see docs/deploy.md) and deploy again",
  );
  await appendLog(ctx, ctx.plan.releaseId, "started", {
    reason: `migrated in ${((Date.now() - t) / 1000).toFixed(1)} s`,
  });
  ctx.log(`migrate: ran "${cmd}" in releases/${ctx.plan.releaseId} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
