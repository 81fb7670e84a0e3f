import { CONFIG_FILE, defaultConfig, type PipelineConfig } from "./defaults";
import { nodeImage } from "../images";
import { detectBackend, type RepoFacts } from "./repoFacts";
import { ConfigError } from "./error";
import { validate } from "./schema";
import { backendManagerFromRepo, frontendFromRepo } from "./toolchains";
import { declaresXdist, detectTestRunners } from "./testRunners";
import { checkValues } from "./values";
import { parseYaml } from "./yaml";

/**
 * Parse and validate `pipeline.yaml` text, merged over the defaults, then fill what the file leaves
 * unset from the repository's own files (`facts`: Python version, test extras). Pure: no I/O.
 */
export function parseConfig(text: string | undefined, file = CONFIG_FILE, facts: RepoFacts = {}): PipelineConfig {
  const defaults = defaultConfig();
  const raw = parseYaml(text, file);
  const valid = raw === undefined ? {} : validate(raw, file);
  const found = withRepoFacts(valid.backend ?? {}, facts, defaults);
  const detected = found.detected;
  const backend = backendManagerFromRepo(found.backend, facts, detected);
  const frontend = frontendFromRepo(valid.frontend ?? {}, facts.frontend, defaults.frontend, detected);
  const given = { ...valid, backend, frontend };
  const merged = merge(defaults, given) as PipelineConfig;
  const fe = valid.frontend;
  if (fe?.nodeVersion !== undefined && fe.image === undefined) {
    merged.frontend.image = nodeImage(merged.frontend.nodeVersion);
  }
  const runners = detectTestRunners(merged.frontend.steps, facts.frontend?.packageJson);
  if (Object.keys(runners).length) merged.frontend.testRunners = runners;
  if (declaresXdist(facts.pyproject)) merged.backend.declaresXdist = true;
  if (backend.pythonVersion !== undefined && backend.image === undefined) {
    merged.backend.image = `ghcr.io/astral-sh/uv:${defaultUvTag(merged.backend.pythonVersion)}`;
  }
  checkValues(merged, file);
  return detected.length ? { ...merged, detected } : merged;
}

/** The backend keys pipeline.yaml leaves unset, filled from the repository's own files, saying why. */
function withRepoFacts(
  set: Record<string, unknown>,
  facts: RepoFacts,
  defaults: PipelineConfig,
): { backend: Record<string, unknown>; detected: string[] } {
  const found = detectBackend(facts, (set.pythonVersion as string | undefined) ?? defaults.backend.pythonVersion);
  const backend = { ...set };
  const detected: string[] = [];
  if (set.pythonVersion === undefined && found.pythonVersion) {
    backend.pythonVersion = found.pythonVersion.value;
    detected.push(`backend.pythonVersion: ${found.pythonVersion.value} (${found.pythonVersion.why})`);
  }
  for (const key of ["extras", "groups"] as const) {
    if (set[key] !== undefined || found[key].value.length === 0) continue;
    backend[key] = found[key].value;
    detected.push(`backend.${key}: ${found[key].value.join(", ")} (${found[key].why})`);
  }
  return { backend, detected };
}

function defaultUvTag(pythonVersion: string): string {
  return defaultConfig()
    .backend.image.split(":")[1]
    .replace(/python[\d.]+/, `python${pythonVersion}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function merge(base: unknown, over: unknown): unknown {
  if (!isRecord(base) || !isRecord(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    // Open maps (steps, env) replace or extend by key; a step list replaces the defaults whole.
    out[k] = k === "steps" ? v : merge(base[k], v);
  }
  return out;
}

/** Paths the config requires to exist in the source, with the key that names each. */
export function requiredPaths(c: PipelineConfig): { key: string; path: string }[] {
  return [
    { key: "frontend.path", path: c.frontend.path },
    { key: "backend.path", path: c.backend.path },
  ];
}

/** The error for a configured path that the source lacks. */
export function missingPathError(file: string, key: string, path: string): ConfigError {
  return new ConfigError(
    file,
    key,
    `points at "${path}", which is not in the source`,
    `create it, or set ${key} in ${file} to the right directory`,
  );
}

/** The error for a configured path that is a file where the runner works in a folder. */
export function notFolderError(file: string, key: string, path: string): ConfigError {
  return new ConfigError(
    file,
    key,
    `points at "${path}", which is a file, not a folder`,
    `set ${key} in ${file} to the folder`,
  );
}

/** The error for a configured path that exists but, through a link, leads outside the source. */
export function outsidePathError(file: string, key: string, path: string): ConfigError {
  return new ConfigError(
    file,
    key,
    `points at "${path}", a link that leads outside the repository`,
    `set ${key} in ${file} to a directory inside the repository, or replace the link with the directory itself`,
  );
}
