/**
 * Which CPython the host runner hands to uv for a wanted minor version: the one `uv python find`
 * gives, else a pyenv-managed one (pyenv's shims only answer for the version pyenv has selected,
 * so uv cannot use them for another), as a path in UV_PYTHON.
 */
import { existsSync, readdirSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

/** The interpreter path for `version` (e.g. "3.13") on this machine, or undefined when there is none. */
export async function findPython(version: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const found = spawnSync("uv", ["python", "find", version], {
    cwd: tmpdir(),
    env: { ...env, UV_PYTHON_DOWNLOADS: "never", UV_PYTHON: undefined },
    encoding: "utf8",
  });
  if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
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

/** The first line uv prints when it cannot run at all (e.g. a pyenv shim for another Python), or undefined. */
export async function uvBroken(env: NodeJS.ProcessEnv, cwd: string): Promise<string | undefined> {
  // Run uv itself, not through a shell: a PATH without bash must not look like a broken uv.
  const r = spawnSync("uv", ["--version"], { cwd, env, encoding: "utf8" });
  if (r.status === 0) return undefined;
  return `${r.stderr || r.stdout || r.error?.message || ""}`.trim().split("\n")[0] || `exit ${r.status}`;
}
