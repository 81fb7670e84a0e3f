import { CONFINED, sh, type DeployContext } from "../context";

/**
 * Install runtime dependencies only: `uv sync --frozen --no-dev` for the backend (it may build the project, repository
 * code, so it gets the allow-listed env, and runs confined where server.json names a `confine`); the Next standalone
 * build ships its own.
 */
export async function install(ctx: DeployContext): Promise<void> {
  await sh(
    ctx,
    "install",
    `cd "releases/$1" && test -f frontend/server.js || { echo "frontend/server.js missing: the artifact is not a Next standalone build" >&2; exit 5; }\ncd backend && repository_env UV_PYTHON_DOWNLOADS=never ${CONFINED} uv sync --frozen --no-dev --quiet`,
    [ctx.plan.releaseId],
    undefined,
    "the release was not switched; fix the lockfile or the server's uv/python and re-run the deploy",
  );
}
