import { appendLog, CONFINED, sh, type DeployContext } from "../context";

/** What the migrate script exits with when `timeout` stopped the migration. */
const TIMED_OUT = 124;

/**
 * Bash that defines `redact_shared_env FILE`: print the file's last 64 KiB (whole lines) with every value in
 * $BASE/shared/env replaced by `***`: the value, and each of its lines, trimmed, of four characters or more, and their
 * URL-encoded forms (as encodeURIComponent and encodeURI write them), the longest first (as ci/src/plan/redact.ts does
 * on the runner), each form once. Bash's `${t//"$v"/…}` matches the quoted value literally, whatever it holds (quotes,
 * `$`, globs).
 */
const REDACT_SHARED_ENV = `url_form() {
  local LC_ALL=C s=$2 c i
  REPLY=
  for ((i = 0; i < \${#s}; i++)); do
    c=\${s:i:1}
    if [[ "$c" == [A-Za-z0-9] || "$1" == *"$c"* ]]; then REPLY+=$c; else printf -v c '%%%02X' "'$c"; REPLY+=$c; fi
  done
}
redact_shared_env() {
  local text forms=() runs=() f v l t r i encoded="[^A-Za-z0-9_.!~*'()-]"
  local -A seen=()
  if [ "$(wc -c < "$1")" -gt 65536 ]; then text=$(tail -c 65536 "$1" | tail -n +2); else text=$(cat "$1"); fi
  [ -n "$text" ] || return 0
  for f in "$BASE"/shared/env/*; do
    [ -f "$f" ] || continue
    v=$(cat "$f")
    while IFS= read -r l || [ -n "$l" ]; do forms+=("$l"); done <<< "$v"
    for t in "$v" "\${forms[@]}"; do
      # Trimmed by a regex: bash's \${t%%pattern} forms are quadratic, minutes for a hundred 3 KB keys.
      if [[ "$t" =~ ^[[:space:]]*(.*[^[:space:]])[[:space:]]*$ ]]; then t=\${BASH_REMATCH[1]}; else continue; fi
      [ "\${#t}" -ge 4 ] && [ -z "\${seen[$t]+x}" ] || continue
      seen[$t]=1
      # Both encodings leave these characters as they are: a value of only these is its own encoded form; and an
      # encoded form needs a % in the text.
      [[ "$t" =~ $encoded ]] && [[ "$text" == *%* ]] || continue
      # Each encoded form holds t's runs of those characters as they are: with its longest not in the text, neither is.
      read -ra runs <<< "\${t//$encoded/ }"; r=
      for l in "\${runs[@]}"; do [ "\${#l}" -gt "\${#r}" ] && r=$l; done
      [ "\${#r}" -ge 4 ] && [[ "$text" != *"$r"* ]] && continue
      url_form "-_.!~*'()" "$t"; seen[$REPLY]=1
      url_form "-_.!~*'();,/?:@&=+\\$#" "$t"; seen[$REPLY]=1
    done
    forms=()
  done
  forms=("\${!seen[@]}")
  while read -r _ i; do
    t=\${forms[i]}; [ "\${#t}" -ge 4 ] && text=\${text//"$t"/***}
  done < <(for i in "\${!forms[@]}"; do echo "\${#forms[i]} $i"; done | sort -rn)
  [ -z "$text" ] || printf '%s\\n' "$text"
}`;

/**
 * The bash that runs deploy.migrate in the release dir with the allow-listed env plus the app's own (its secrets from
 * shared/env, RELEASE_ID, DEPLOY_BASE), within its time bound, and records that it ran. The secrets are read inside
 * the clean shell, so they never pass through an argv. `timeout` runs the migration in a process group of its own and
 * stops all of it (TERM, then KILL 10 s later), so nothing of it runs on once the deploy has given up on it. Where
 * server.json names a `confine` (the bundled staging server), all of it runs confined: of the server's folder, only
 * its release dir is writable. What it prints (its last 64 KiB) is shown with every value in shared/env hidden
 * (REDACT_SHARED_ENV), since shared/env may hold a secret an earlier deploy gave that this run does not know.
 */
const MIGRATE = `id=$1; cmd=$2; limit=$3
if [ -f ".dep/migrations/$id.done" ]; then echo "already migrated"; exit 0; fi
${REDACT_SHARED_ENV}
mkdir -p .dep && out=$(mktemp "$BASE/.dep/migrate-out.XXXXXX") && trap 'rm -f "$out"' EXIT
cd "releases/$id"
rc=0
repository_env DEPLOY_BASE="$DEPLOY_BASE" RELEASE_ID="$id" ${CONFINED} timeout -k 10 "$limit" bash -c '
for f in "$DEPLOY_BASE"/shared/env/*; do
  [ -f "$f" ] || continue; n=$(basename "$f"); [[ "$n" =~ ^[A-Z][A-Z0-9_]*$ ]] && export "$n=$(cat "$f")"
done
exec bash -c "$1"' _ "$cmd" >"$out" 2>&1 || rc=$?
# What it printed is only shown when it failed (a RemoteError's last lines): only then is it redacted and printed.
[ "$rc" = 0 ] || redact_shared_env "$out" >&2
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
