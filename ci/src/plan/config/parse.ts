import { InputError } from "../errors";
import { parse } from "yaml";
import { CONFIG_FILE, defaultConfig, type PipelineConfig } from "./defaults";
import { nodeImage } from "../images";
import { detectBackend, type RepoFacts } from "./repoFacts";

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
  | "numberList"
  | "stringMap"
  | "commandMap"
  | "hostCommands"
  | "serviceEnv"
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
    extras: "stringList",
    groups: "stringList",
    env: "stringMap",
  },
  services: {
    mongo: { image: "string", port: "number", database: "string", env: "serviceEnv", hostCommands: "hostCommands" },
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
    strategy: "string",
    watch: {
      windowSeconds: "number",
      errorRatePercent: "number",
      minRequests: "number",
      p95RollbackSeconds: "number",
      p95AlertSeconds: "number",
    },
    canary: { steps: "numberList" },
    migrate: "string",
  },
  cacheNamespace: "string",
  billing: { ratePerMinute: "number" },
};

const EXAMPLES: Record<string, string> = {
  string: '"text"',
  number: "85",
  command: '"npm run lint" or ["npm", "run", "lint"]',
  stringList: '["e2e"]',
  numberList: "[5, 25, 50, 100]",
  stringMap: "{ NAME: value }",
  commandMap: '{ lint: "npm run lint" }',
  hostCommands: '[{ bin: ferretdb, args: ["--listen-addr=127.0.0.1:{port}"] }]',
  serviceEnv: '{ TEST_MONGO_URI: "mongodb://{host}:{port}/{database}" }',
};

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
    case "numberList":
      if (!Array.isArray(value) || value.some((v) => typeof v !== "number" || !Number.isFinite(v)))
        throw fail("a list of numbers");
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
    case "serviceEnv":
      checkServiceEnv(value, key, file);
      return;
    case "hostCommands":
      if (!Array.isArray(value) || value.length === 0) throw fail("a non-empty list");
      value.forEach((v, i) => check(v, { bin: "string", args: "stringList" }, `${key}[${i}]`, file));
      return;
  }
}

function checkServiceEnv(value: unknown, key: string, file: string): void {
  if (!isRecord(value) || Object.keys(value).length === 0) {
    throw new ConfigError(file, key, "must be a non-empty mapping", `write it like env: ${EXAMPLES.serviceEnv}`);
  }
  for (const [name, template] of Object.entries(value)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new ConfigError(
        file,
        `${key}.${name}`,
        "is not a variable name",
        "use letters, digits and _, like TEST_MONGO_URI",
      );
    }
    const unknown = typeof template === "string" ? template.match(/\{(?!host\}|port\}|database\})[^}]*\}/) : null;
    if (typeof template !== "string" || template === "" || unknown) {
      const what = unknown ? `uses ${unknown[0]}` : "must be a string";
      throw new ConfigError(file, `${key}.${name}`, what, "use a template with {host}, {port} and {database} only");
    }
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
  checkAfterSwitch(c, file);
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

/** deploy.strategy, deploy.watch and deploy.canary.steps (issue 13). */
function checkAfterSwitch(c: PipelineConfig, file: string): void {
  const { strategy, watch, canary } = c.deploy;
  if (strategy !== "bluegreen" && strategy !== "canary")
    throw new ConfigError(file, "deploy.strategy", `is "${strategy}"`, "use bluegreen or canary");
  for (const k of ["windowSeconds", "errorRatePercent", "p95RollbackSeconds", "p95AlertSeconds"] as const) {
    if (!(watch[k] >= 0)) throw new ConfigError(file, `deploy.watch.${k}`, `is ${watch[k]}`, "use a number >= 0");
  }
  if (!Number.isInteger(watch.minRequests) || watch.minRequests < 1)
    throw new ConfigError(
      file,
      "deploy.watch.minRequests",
      `is ${watch.minRequests}`,
      "use an integer >= 1, such as 20",
    );
  if (watch.p95AlertSeconds > watch.p95RollbackSeconds)
    throw new ConfigError(
      file,
      "deploy.watch.p95AlertSeconds",
      `is ${watch.p95AlertSeconds}, above p95RollbackSeconds ${watch.p95RollbackSeconds}`,
      "alert below the rollback threshold, such as 2 and 5",
    );
  const s = canary.steps;
  const rising = s.every((v, i) => Number.isInteger(v) && v > 0 && v <= 100 && (i === 0 || v > s[i - 1]));
  if (!s.length || !rising || s.at(-1) !== 100)
    throw new ConfigError(
      file,
      "deploy.canary.steps",
      `is [${s.join(", ")}]`,
      "use rising whole percents ending at 100, such as [5, 25, 50, 100]",
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
