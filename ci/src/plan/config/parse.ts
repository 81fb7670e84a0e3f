import { InputError } from "../errors";
import { parse } from "yaml";
import { CONFIG_FILE, defaultConfig, type PipelineConfig } from "./defaults";

/** A config that is wrong: names the file, the key and the fix. */
export class ConfigError extends InputError {
  constructor(
    readonly file: string,
    readonly key: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${file}: ${key ? `\`${key}\` ` : ""}${problem}. Fix: ${fix}`);
  }
}

type Kind =
  | "string"
  | "number"
  | "command"
  | "stringList"
  | "stringMap"
  | "commandMap"
  | "hostCommands"
  | { [key: string]: Kind };

const threshold: Kind = { target: "number", alert: "number" };

const SCHEMA: Kind = {
  frontend: {
    path: "string",
    nodeVersion: "string",
    image: "string",
    install: "command",
    steps: "commandMap",
    env: "stringMap",
    buildEnv: "stringMap",
  },
  backend: {
    path: "string",
    pythonVersion: "string",
    image: "string",
    install: "command",
    test: "command",
    coverageSource: "string",
    deselectMarkers: "stringList",
    deselect: "stringList",
    env: "stringMap",
  },
  services: {
    mongo: { image: "string", port: "number", database: "string", hostCommands: "hostCommands" },
  },
  e2e: {
    testDir: "string",
    shards: "number",
    smokeTag: "string",
    readyAttempts: "number",
    readyIntervalSeconds: "number",
    healthPath: "string",
  },
  thresholds: { fastTests: threshold, deploy: threshold, e2e: threshold, coverage: "number" },
  deploy: {
    keep: "number",
    health: { attempts: "number", intervalSeconds: "number", failuresBeforeRollback: "number" },
  },
  cacheNamespace: "string",
  billing: { ratePerMinute: "number" },
};

const EXAMPLES: Record<string, string> = {
  string: '"text"',
  number: "85",
  command: '"npm run lint" or ["npm", "run", "lint"]',
  stringList: '["e2e"]',
  stringMap: "{ NAME: value }",
  commandMap: '{ lint: "npm run lint" }',
  hostCommands: '[{ bin: ferretdb, args: ["--listen-addr=127.0.0.1:{port}"] }]',
};

/** Parse and validate `pipeline.yaml` text, merged over the defaults. Pure: no I/O. */
export function parseConfig(text: string | undefined, file = CONFIG_FILE): PipelineConfig {
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
    merged.frontend.image = `node:${merged.frontend.nodeVersion}-bookworm-slim`;
  }
  const be = (raw as { backend?: Record<string, unknown> }).backend;
  if (be?.pythonVersion !== undefined && be.image === undefined) {
    merged.backend.image = `ghcr.io/astral-sh/uv:${defaultUvTag(merged.backend.pythonVersion)}`;
  }
  checkValues(merged, file);
  return merged;
}

function defaultUvTag(pythonVersion: string): string {
  return defaultConfig()
    .backend.image.split(":")[1]
    .replace(/python[\d.]+/, `python${pythonVersion}`);
}

function check(value: unknown, kind: Kind, key: string, file: string): void {
  const fail = (what: string) =>
    new ConfigError(
      file,
      key,
      `must be ${what}`,
      `write it like ${key.split(".").pop()}: ${EXAMPLES[kind as string] ?? "a mapping"}`,
    );
  if (typeof kind === "object") {
    if (!isRecord(value))
      throw new ConfigError(file, key, "must be a mapping", `indent the keys under ${key || "the top level"}`);
    for (const [k, v] of Object.entries(value)) {
      const sub = key ? `${key}.${k}` : k;
      if (!(k in kind)) {
        throw new ConfigError(
          file,
          sub,
          "is not a known key",
          `use one of: ${Object.keys(kind).join(", ")}${suggest(k, Object.keys(kind))}`,
        );
      }
      check(v, kind[k], sub, file);
    }
    return;
  }
  switch (kind) {
    case "string":
      if (typeof value !== "string" || value === "") throw fail("a non-empty string");
      return;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) throw fail("a number");
      return;
    case "command":
      toArgv(value, key, file);
      return;
    case "stringList":
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw fail("a list of strings");
      return;
    case "stringMap":
      if (!isRecord(value) || Object.values(value).some((v) => typeof v !== "string")) {
        throw fail("a mapping of names to quoted strings");
      }
      return;
    case "commandMap":
      if (!isRecord(value) || Object.keys(value).length === 0)
        throw fail("a non-empty mapping of step names to commands");
      for (const [k, v] of Object.entries(value)) toArgv(v, `${key}.${k}`, file);
      return;
    case "hostCommands":
      if (!Array.isArray(value) || value.length === 0) throw fail("a non-empty list");
      value.forEach((v, i) => check(v, { bin: "string", args: "stringList" }, `${key}[${i}]`, file));
      return;
  }
}

function checkValues(c: PipelineConfig, file: string): void {
  if (c.billing.ratePerMinute < 0)
    throw new ConfigError(
      file,
      "billing.ratePerMinute",
      `is ${c.billing.ratePerMinute}`,
      "use dollars per minute >= 0, such as 0.008",
    );
  const cov = c.thresholds.coverage;
  if (cov < 0 || cov > 100)
    throw new ConfigError(file, "thresholds.coverage", `is ${cov}, outside 0..100`, "use a percentage such as 85");
  for (const name of ["fastTests", "deploy", "e2e"] as const) {
    const t = c.thresholds[name];
    if (t.target <= 0 || t.alert < t.target) {
      throw new ConfigError(
        file,
        `thresholds.${name}`,
        `has target ${t.target} and alert ${t.alert}`,
        "use minutes with 0 < target <= alert",
      );
    }
  }
  checkE2e(c, file);
  checkDeploy(c, file);
  const port = c.services.mongo.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(file, "services.mongo.port", `is ${port}`, "use a TCP port between 1 and 65535");
  }
  for (const key of ["frontend.path", "backend.path"] as const) {
    const p = key === "frontend.path" ? c.frontend.path : c.backend.path;
    if (p.startsWith("/") || p.split("/").includes("..")) {
      throw new ConfigError(
        file,
        key,
        `is "${p}", outside the repository`,
        "use a path relative to the repository root, such as frontend",
      );
    }
  }
}

function checkE2e(c: PipelineConfig, file: string): void {
  const e = c.e2e;
  for (const key of ["shards", "readyAttempts"] as const) {
    if (!Number.isInteger(e[key]) || e[key] < 1)
      throw new ConfigError(
        file,
        `e2e.${key}`,
        `is ${e[key]}`,
        `use a whole number of at least 1, such as ${defaultConfig().e2e[key]}`,
      );
  }
  if (e.readyIntervalSeconds < 0)
    throw new ConfigError(
      file,
      "e2e.readyIntervalSeconds",
      `is ${e.readyIntervalSeconds}`,
      "use seconds >= 0, such as 10",
    );
  if (!e.healthPath.startsWith("/"))
    throw new ConfigError(file, "e2e.healthPath", `is "${e.healthPath}"`, "start it with /, such as /api/v1/health");
  if (e.testDir.startsWith("/") || e.testDir.split("/").includes("..")) {
    throw new ConfigError(
      file,
      "e2e.testDir",
      `is "${e.testDir}", outside the frontend`,
      "use a path relative to frontend.path, such as e2e",
    );
  }
}

function checkDeploy(c: PipelineConfig, file: string): void {
  const { keep, health } = c.deploy;
  if (!Number.isInteger(keep) || keep < 1)
    throw new ConfigError(
      file,
      "deploy.keep",
      `is ${keep}; at least the current release must stay`,
      "use an integer >= 1, such as 5",
    );
  for (const k of ["attempts", "failuresBeforeRollback"] as const) {
    if (!Number.isInteger(health[k]) || health[k] < 1)
      throw new ConfigError(file, `deploy.health.${k}`, `is ${health[k]}`, "use an integer >= 1");
  }
  if (!(health.intervalSeconds > 0))
    throw new ConfigError(
      file,
      "deploy.health.intervalSeconds",
      `is ${health.intervalSeconds}`,
      "use seconds > 0, such as 5",
    );
}

/** Turn a config command into argv. Strings are split on whitespace; shell syntax is refused. */
export function toArgv(value: unknown, key = "command", file = CONFIG_FILE): string[] {
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" && v !== ""))
    return value as string[];
  if (typeof value === "string" && value.trim() !== "") {
    if (/["'`$|&;<>()\\*?]/.test(value)) {
      throw new ConfigError(
        file,
        key,
        `"${value}" uses shell syntax, and commands run without a shell`,
        `write it as an argv list, e.g. ${key.split(".").pop()}: ["pytest", "-m", "not e2e"]`,
      );
    }
    return value.trim().split(/\s+/);
  }
  throw new ConfigError(file, key, "must be a command", `write it like ${key.split(".").pop()}: ${EXAMPLES.command}`);
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function suggest(word: string, options: string[]): string {
  const close = options.find((o) => distance(o.toLowerCase(), word.toLowerCase()) <= 2);
  return close ? ` (did you mean \`${close}\`?)` : "";
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
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
