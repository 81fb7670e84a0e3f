import { parse } from "yaml";
import { CONFIG_FILE, defaultConfig, type PipelineConfig } from "./defaults";
import { nodeImage } from "../images";
import { detectBackend, type RepoFacts } from "./repoFacts";
import { ConfigError } from "./error";
import { check, isRecord, SCHEMA } from "./schema";
import { checkValues } from "./values";

export { ConfigError } from "./error";
export { toArgv } from "./schema";

/**
 * Parse and validate `pipeline.yaml` text, merged over the defaults, then fill what the file leaves
 * unset from the repository's own files (`facts`: Python version, test extras). Pure: no I/O.
 */
export function parseConfig(text: string | undefined, file = CONFIG_FILE, facts: RepoFacts = {}): PipelineConfig {
  return withRepoFacts(parseFile(text, file), rawBackend(text), facts);
}

function parseFile(text: string | undefined, file: string): PipelineConfig {
  const defaults = defaultConfig();
  if (text === undefined || text.trim() === "") return defaults;
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new ConfigError(
      file,
      "",
      `is not valid YAML (${(e as Error).message.split("\n")[0]})`,
      "correct the YAML syntax at that line",
    );
  }
  if (raw === null || raw === undefined) return defaults;
  check(raw, SCHEMA, "", file);
  const merged = merge(defaults, raw) as PipelineConfig;
  const fe = (raw as { frontend?: Record<string, unknown> }).frontend;
  if (fe?.nodeVersion !== undefined && fe.image === undefined) {
    merged.frontend.image = nodeImage(merged.frontend.nodeVersion);
  }
  const be = (raw as { backend?: Record<string, unknown> }).backend;
  if (be?.pythonVersion !== undefined && be.image === undefined) {
    merged.backend.image = `ghcr.io/astral-sh/uv:${defaultUvTag(merged.backend.pythonVersion)}`;
  }
  checkValues(merged, file);
  return merged;
}

/** The backend keys pipeline.yaml sets, so that the repository's files only fill the rest. */
function rawBackend(text: string | undefined): Record<string, unknown> {
  try {
    const raw = text ? (parse(text) as { backend?: unknown }) : undefined;
    return isRecord(raw?.backend) ? raw.backend : {};
  } catch {
    return {};
  }
}

function withRepoFacts(c: PipelineConfig, set: Record<string, unknown>, facts: RepoFacts): PipelineConfig {
  const found = detectBackend(facts, c.backend.pythonVersion);
  const detected: string[] = [];
  if (set.pythonVersion === undefined && found.pythonVersion) {
    c.backend.pythonVersion = found.pythonVersion.value;
    if (set.image === undefined) c.backend.image = `ghcr.io/astral-sh/uv:${defaultUvTag(found.pythonVersion.value)}`;
    detected.push(`backend.pythonVersion: ${found.pythonVersion.value} (${found.pythonVersion.why})`);
  }
  for (const key of ["extras", "groups"] as const) {
    if (set[key] !== undefined || found[key].value.length === 0) continue;
    c.backend[key] = found[key].value;
    detected.push(`backend.${key}: ${found[key].value.join(", ")} (${found[key].why})`);
  }
  return detected.length ? { ...c, detected } : c;
}

function defaultUvTag(pythonVersion: string): string {
  return defaultConfig()
    .backend.image.split(":")[1]
    .replace(/python[\d.]+/, `python${pythonVersion}`);
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
