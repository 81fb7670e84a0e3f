/** The shape of `pipeline.yaml`: every key, its kind, an example of each kind, and the check that names the fix. */
import { ConfigError } from "./error";
import { CONFIG_FILE } from "./defaults";

export type Kind =
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

export const SCHEMA: Kind = {
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

export function check(value: unknown, kind: Kind, key: string, file: string): void {
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

export function isRecord(v: unknown): v is Record<string, unknown> {
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
