/**
 * The shape of `pipeline.yaml`: every key, its kind and its bounds, as one valibot schema. parseConfig checks files
 * with it, and docs/pipeline.schema.json is generated from it, so editors check what the runners check.
 */
import * as v from "valibot";
import { configErrorOf, say } from "./issue";
import { shown } from "./error";
import { BOUNDS } from "../bounds";
import { QUALITY_SCHEMA } from "./quality/schema";
import {
  bounded,
  command,
  commandMap,
  envMap,
  insidePath,
  keyName,
  mapOf,
  matching,
  oneOf,
  section,
  settings,
  stringList,
  text,
  VARIABLE_NAME,
} from "./kinds";

/** An image reference: registry/name:tag or @digest, no spaces. */
const image = (example: string) => matching(/^[A-Za-z0-9][\w.\-/:@]*$/, example, "an image reference");

const minutes = (example: number) => bounded({ ...BOUNDS["thresholds.minutes"], example });
const threshold = (target: number, alert: number) => settings({ target: minutes(target), alert: minutes(alert) });

const PLACEHOLDER = /\{(?!host\}|port\}|database\})[^}]*\}?/;
const serviceEnvWhat = {
  problem: "must be a non-empty mapping",
  fix: 'write it like {name}: { TEST_MONGO_URI: "mongodb://{host}:{port}/{database}" }',
};
const templateFix = "use a template with {host}, {port} and {database} only";

/** Variables given to the backend: name → template with {host}, {port} and {database}. */
function serviceEnv() {
  const name = keyName(VARIABLE_NAME, "is not a variable name", "use letters, digits and _, like TEST_MONGO_URI");
  const template = v.pipe(
    v.string(say("must be a string", templateFix)),
    v.nonEmpty(say("must be a string", templateFix)),
    v.regex(/^(?:[^{]|\{(?:host|port|database)\})*$/, (i) =>
      say(`uses ${PLACEHOLDER.exec(i.input)?.[0]}`, templateFix),
    ),
  );
  return v.pipe(
    mapOf(name, template, serviceEnvWhat),
    v.minEntries(1, say(serviceEnvWhat.problem, serviceEnvWhat.fix)),
  );
}

/** Host runner: the first of these on PATH serves MongoDB. */
function hostCommands() {
  const m = say("must be a non-empty list", 'write it like {name}: [{ bin: mongod, args: ["--port", "{port}"] }]');
  const item = section({
    bin: matching(/^\S+$/, "mongod", "a program name"),
    args: stringList('["--port", "{port}"]'),
  });
  return v.pipe(v.array(item, m), v.minLength(1, m));
}

const stepName = () => keyName(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, "is not a step name", "use a name from steps");

/** Step name → the steps it waits for; unknown names and cycles are refused on the merged config (values.ts). */
function stepWaits() {
  const list = v.pipe(
    stringList("[lint]"),
    v.maxLength(20, say("waits for more than 20 steps", "list only the steps it really needs, such as [lint]")),
  );
  return mapOf(stepName(), list, {
    problem: "must be a mapping of step names to lists",
    fix: "write it like {name}: { build: [lint] }",
  });
}

/** Step name → the cores it keeps busy (test runners with workers). */
function stepCores() {
  const what = { problem: "must be a mapping of step names to core counts", fix: "write it like {name}: { unit: 2 }" };
  return mapOf(stepName(), bounded(BOUNDS["frontend.cores"]), what);
}

const healthPath = v.pipe(
  text('"/api/v1/health"'),
  v.regex(/^\/\S*$/, (i) => say(`is ${shown(i.input)}`, "start it with /, such as /api/v1/health")),
);

export const PIPELINE_SCHEMA = settings({
  frontend: settings({
    path: insidePath("frontend"),
    nodeVersion: matching(/^\d+(?:\.\d+){0,2}$/, '"22"', "a Node version such as 22 or 22.11"),
    packageManager: oneOf(["npm", "pnpm", "yarn-classic", "yarn-berry"]),
    image: image('"node:22-bookworm-slim"'),
    install: command(),
    steps: commandMap(),
    after: stepWaits(),
    cores: stepCores(),
    env: envMap(),
    buildEnv: envMap(),
  }),
  backend: settings({
    path: insidePath("backend"),
    pythonVersion: matching(/^\d+\.\d+$/, '"3.13"', "a Python version such as 3.13"),
    packageManager: oneOf(["uv", "poetry", "pip"]),
    requirements: stringList('["requirements.txt", "requirements-dev.txt"]'),
    image: image('"ghcr.io/astral-sh/uv:0.9.9-python3.13-trixie-slim"'),
    install: command(),
    test: command(),
    coverageSource: insidePath("app", "backend.path", "the backend"),
    deselectMarkers: stringList('["e2e"]'),
    deselect: v.array(
      insidePath('"tests/test_slow.py::test_huge"', "backend.path", "the backend"),
      say("must be a list of strings", 'write it like {name}: ["tests/test_slow.py::test_huge"]'),
    ),
    extras: stringList('["test"]'),
    groups: stringList('["test"]'),
    parallel: oneOf(["auto", "off"]),
    env: envMap(),
  }),
  services: settings({
    mongo: settings({
      image: image('"mongo:7"'),
      port: bounded(BOUNDS["services.mongo.port"]),
      // MongoDB takes 63 characters; each pytest-xdist worker adds _gw0 … _gw63 (fastTests/workers.ts).
      database: matching(
        /^[A-Za-z0-9_-]{1,58}$/,
        "autoauthor_test",
        "a database name (letters, digits, _ and -, at most 58 characters)",
      ),
      env: serviceEnv(),
      hostCommands: hostCommands(),
    }),
  }),
  e2e: settings({
    testDir: insidePath("e2e", "frontend.path", "the frontend"),
    shards: bounded(BOUNDS["e2e.shards"]),
    smokeTag: text('"@smoke"'),
    readyAttempts: bounded(BOUNDS["e2e.readyAttempts"]),
    readyIntervalSeconds: bounded(BOUNDS["e2e.readyIntervalSeconds"]),
    healthPath,
  }),
  thresholds: settings({
    fastTests: threshold(5, 7),
    deploy: threshold(2, 4),
    e2e: threshold(15, 20),
    coverage: bounded(BOUNDS["thresholds.coverage"]),
  }),
  deploy: settings({
    keep: bounded(BOUNDS["deploy.keep"]),
    health: settings({
      attempts: bounded(BOUNDS["deploy.health.attempts"]),
      intervalSeconds: bounded(BOUNDS["deploy.health.intervalSeconds"]),
      failuresBeforeRollback: bounded(BOUNDS["deploy.health.failuresBeforeRollback"]),
    }),
    strategy: oneOf(["bluegreen", "canary"]),
    watch: settings({
      windowSeconds: bounded(BOUNDS["deploy.watch.windowSeconds"]),
      errorRatePercent: bounded(BOUNDS["deploy.watch.errorRatePercent"]),
      minRequests: bounded(BOUNDS["deploy.watch.minRequests"]),
      p95RollbackSeconds: bounded(BOUNDS["deploy.watch.p95RollbackSeconds"]),
      p95AlertSeconds: bounded(BOUNDS["deploy.watch.p95AlertSeconds"]),
    }),
    canary: settings({
      steps: v.pipe(
        v.array(bounded(BOUNDS["deploy.canary.steps"])),
        v.minLength(1, say("must list at least one step", "write it like {name}: [5, 25, 50, 100]")),
        v.maxLength(10, say("has more than 10 steps", "use at most 10, such as [5, 25, 50, 100]")),
      ),
    }),
    migrate: v.string(say("must be a string", 'write it like {name}: "npm run migrate" ("" for none)')),
    migrateTimeoutSeconds: bounded(BOUNDS["deploy.migrateTimeoutSeconds"]),
  }),
  cacheNamespace: matching(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    "autoauthor",
    "a volume name prefix (letters, digits, _ . -)",
  ),
  billing: settings({ ratePerMinute: bounded(BOUNDS["billing.ratePerMinute"]) }),
  quality: QUALITY_SCHEMA,
});

/** What a valid file holds: any part of the config, each part checked. */
export type PipelineInput = v.InferOutput<typeof PIPELINE_SCHEMA>;

/** Check the file's data against the schema; the first problem is thrown as a ConfigError naming the fix. */
export function validate(raw: unknown, file: string): PipelineInput {
  const result = v.safeParse(PIPELINE_SCHEMA, raw, { abortEarly: true });
  if (result.success) return result.output;
  throw configErrorOf(result.issues[0], file);
}
