/**
 * The environment a repository's own commands get (lint, tests, builds, installs, E2E, the app it starts): repository
 * code is untrusted, so from the runner's environment only what a tool needs to run passes, never a secret. Both
 * runners build every repository process's environment here; containers start from their image's env instead.
 */

/** Runner variables a repository command may see: where tools and home are, locale, CI, temp dirs, trust stores. */
export const ALLOWED_RUNNER_VARIABLES: readonly string[] = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "TERM",
  "TZ",
  "LANG",
  "LANGUAGE",
  "CI",
  "TMPDIR",
  "TMP",
  "TEMP",
  // pyenv's shims on PATH find their interpreters through it.
  "PYENV_ROOT",
  // A machine behind a TLS-inspecting proxy trusts its CA through these; they are file paths, not secrets.
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "NODE_EXTRA_CA_CERTS",
  "REQUESTS_CA_BUNDLE",
  "CURL_CA_BUNDLE",
  // A corporate runner or server reaches registries (npm, PyPI) only through its proxy. They name a host, not a
  // credential; a proxy that needs one should take it from its network, not from a `user:pass@` in the URL, which
  // repository code would then read.
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
];

/** Locale categories (LC_ALL, LC_CTYPE, …). */
const ALLOWED_PREFIXES: readonly string[] = ["LC_"];

/** Whether a runner variable may reach a repository command. */
export function isAllowedRunnerVariable(name: string): boolean {
  return ALLOWED_RUNNER_VARIABLES.includes(name) || ALLOWED_PREFIXES.some((p) => name.startsWith(p));
}

/**
 * A repository command's whole environment: the allowed runner variables, then what the plan sets for it (the job's
 * and step's env, the service URLs, the runner's narrowing such as UV_PYTHON), which wins.
 */
export function repositoryEnv(
  runner: Record<string, string | undefined>,
  ...planned: (Record<string, string | undefined> | undefined)[]
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(runner)) if (v !== undefined && isAllowedRunnerVariable(k)) out[k] = v;
  for (const layer of planned)
    for (const [k, v] of Object.entries(layer ?? {})) {
      if (v !== undefined) out[k] = v;
    }
  return out;
}

/**
 * Bash that defines `repository_env VAR=value… CMD…`: run CMD with only this shell's allowed variables plus the
 * given ones (`env -i`). The server-side deploy tasks run repository code (deploy.migrate, `uv sync`, the app under
 * PM2) through it, so a server login's or a manual deploy's environment never reaches it, whoever started the task.
 */
export function repositoryEnvBash(): string {
  const names = ALLOWED_RUNNER_VARIABLES.join("|");
  const prefixes = ALLOWED_PREFIXES.map((p) => `${p}*`).join("|");
  return `repository_env() {
  local keep=() n
  for n in $(compgen -e); do case "$n" in ${names}|${prefixes}) keep+=("$n=\${!n}");; esac; done
  env -i "\${keep[@]}" "$@"
}`;
}
