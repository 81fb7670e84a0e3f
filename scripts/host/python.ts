/**
 * Which CPython the host runner hands to uv for a wanted minor version: the one `uv python find`
 * gives, else a pyenv-managed one (pyenv's shims only answer for the version pyenv has selected,
 * so uv cannot use them for another), as a path in UV_PYTHON.
 *
 * uv runs each interpreter it considers to ask its version: uv's managed ones in the user's home, pyenv's through
 * its shims, any on PATH. A repository command can plant one there, so the runner asks as a repository command does
 * (confined, with the allow-listed environment): what the probe runs sees no more than `uv sync` itself will.
 */
import { existsSync, readdirSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { repositoryEnv } from "../../ci/src/plan/env";
import { runRepositoryProcess } from "./exec";

/** The interpreter path for `version` (e.g. "3.13") on this machine, or undefined when there is none. */
export async function findPython(version: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const found = await runRepositoryProcess(
    ["uv", "python", "find", version],
    tmpdir(),
    repositoryEnv(env, { UV_PYTHON_DOWNLOADS: "never" }),
  );
  if (found.exitCode === 0 && found.stdout.trim()) return found.stdout.trim();
  return pyenvPython(version, env.PYENV_ROOT ?? join(homedir(), ".pyenv"));
}

/** The newest pyenv install of `version` that has its `pythonX.Y` binary. */
export function pyenvPython(version: string, root: string): string | undefined {
  const dir = join(root, "versions");
  if (!existsSync(dir)) return undefined;
  const installs = readdirSync(dir)
    .filter((v) => v === version || v.startsWith(`${version}.`))
    .sort((a, b) => b.localeCompare(a, "en", { numeric: true }));
  return installs.map((v) => join(dir, v, "bin", `python${version}`)).find((p) => existsSync(p));
}

/**
 * The first line uv prints when it cannot run at all (e.g. a pyenv shim for another Python), or undefined. Asked as
 * a repository command, as findPython asks: a shim runs pyenv, whose hooks and versions live in the user's home.
 */
export async function uvBroken(env: NodeJS.ProcessEnv, cwd: string): Promise<string | undefined> {
  // Run uv itself, not through a shell: a PATH without bash must not look like a broken uv.
  const r = await runRepositoryProcess(["uv", "--version"], cwd, repositoryEnv(env));
  if (r.exitCode === 0) return undefined;
  return `${r.stderr || r.stdout}`.trim().split("\n")[0] || `exit ${r.exitCode}`;
}
