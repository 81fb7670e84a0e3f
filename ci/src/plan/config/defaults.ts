/**
 * The pipeline config: what a target repo may put in `pipeline.yaml`, and the
 * defaults that follow the Auto-Author conventions (so the example needs no file).
 */
import { IMAGES } from "../images";
import type { NodePin } from "../toolchain/node";
import type { PyManager } from "../toolchain/python";
import { defaultQuality, type QualityConfig } from "./quality/defaults";

/** A command as YAML gives it: a whitespace-separated string or an argv list. */
export type Command = string | string[];

/** A frontend package manager as pipeline.yaml names it (yarn's two lines install differently). */
export type FrontendManager = "npm" | "pnpm" | "yarn-classic" | "yarn-berry";

export interface FrontendConfig {
  path: string;
  /** The image's Node version; a pin of the repository's (nodePin) sets its major where pipeline.yaml is silent. */
  nodeVersion: string;
  /** The range every frontend step's Node must be in, and why: pipeline.yaml, the repository's pins, or the default. */
  nodePin: NodePin;
  packageManager: FrontendManager;
  /** false when the repository has no .yarnrc.yml, so yarn berry's install does not copy one in first. */
  yarnrc?: boolean;
  /** The yarn release .yarnrc.yml's `yarnPath` names (committed in the repository), copied in before the install. */
  yarnPath?: string;
  image: string;
  install: Command;
  /** Ordered checks: name → command. */
  steps: Record<string, Command>;
  /** Step name → the steps it waits for; a step not named here runs beside the others once install ends. */
  after: Record<string, string[]>;
  /** Step name → the cores it keeps busy (default 1; a test runner's step: all the machine's). */
  cores: Record<string, number>;
  /** Step name → the test runner it calls (read from package.json), whose workers follow the step's cores. */
  testRunners?: Record<string, "jest" | "vitest">;
  env: Record<string, string>;
  /** Dummy public env for `next build`, given to the `build` step only. */
  buildEnv: Record<string, string>;
}

export interface BackendConfig {
  path: string;
  pythonVersion: string;
  /** uv (uv.lock), poetry (poetry.lock, run through uvx) or pip (requirements files, installed by uv pip). */
  packageManager: PyManager;
  /** The requirements files `uv pip install -r` reads (packageManager pip). */
  requirements: string[];
  /**
   * The files those include (`-r base.txt`, `-c constraints.txt`), copied before the install with them; read from the
   * repository, never a pipeline.yaml key.
   */
  requirementIncludes: string[];
  image: string;
  install: Command;
  test: Command;
  /** Package measured by pytest-cov. */
  coverageSource: string;
  /** Markers fast-tests deselects (`-m "not e2e"`). */
  deselectMarkers: string[];
  /** Test node ids fast-tests deselects (`--deselect`). */
  deselect: string[];
  /** `uv sync --extra` names; unset: the test extras pyproject.toml declares (test, tests, testing, dev). */
  extras?: string[];
  /** `uv sync --group` names; unset: the test groups pyproject.toml declares (uv adds dev itself). */
  groups?: string[];
  /**
   * pytest-xdist workers, one per core the step is given, each with its own database: `auto` always (adding
   * pytest-xdist to `uv run` when the project lacks it), `off` never; unset: when pyproject.toml declares it.
   */
  parallel?: "auto" | "off";
  /** Whether pyproject.toml declares pytest-xdist (read from the repository). */
  declaresXdist?: boolean;
  env: Record<string, string>;
}

export interface HostCommandConfig {
  bin: string;
  args: string[];
}

export interface MongoServiceConfig {
  image: string;
  port: number;
  database: string;
  /** Env given to the backend: name → template with {host}, {port} and {database}. */
  env: Record<string, string>;
  hostCommands: HostCommandConfig[];
}

export interface ThresholdConfig {
  /** Minutes. */
  target: number;
  /** Minutes. */
  alert: number;
}

export interface ThresholdsConfig {
  fastTests: ThresholdConfig;
  deploy: ThresholdConfig;
  e2e: ThresholdConfig;
  /** Minimum backend line coverage, percent. */
  coverage: number;
}

/** Tier 3: Playwright against a deployed (or locally started) app, plus the backend's E2E pytest. */
export interface E2eConfig {
  /** Playwright's testDir, relative to frontend.path. */
  testDir: string;
  /** Default shard count. */
  shards: number;
  /** The tag `--suite smoke` greps for. */
  smokeTag: string;
  /** Readiness: attempts, and seconds between them. */
  readyAttempts: number;
  readyIntervalSeconds: number;
  /** Path under the API URL that answers 200 when the backend (and its database) is up. */
  healthPath: string;
}

/** Deploy settings: retention, health, what follows the switch (docs/requirements.md#R-keep, R-health, R-watch). */
export interface DeployConfig {
  /** Releases kept on the server (current and the rollback target always among them). */
  keep: number;
  health: { attempts: number; intervalSeconds: number; failuresBeforeRollback: number };
  /** bluegreen: all traffic moves at once; canary: nginx weights move it through `canary.steps`. */
  strategy: "bluegreen" | "canary";
  /** The watch window after the switch (ci/src/plan/deploy/watch.ts); windowSeconds 0 turns it off. */
  watch: {
    windowSeconds: number;
    errorRatePercent: number;
    minRequests: number;
    p95RollbackSeconds: number;
    p95AlertSeconds: number;
  };
  /** Percent of requests the new release gets at each canary step; the last is 100. */
  canary: { steps: number[] };
  /** A shell command run once per release on the server, in the release dir, before traffic moves ("" = none). */
  migrate: string;
  /** How long the migration may run (it holds the deploy lock); past it, it is stopped and the deploy fails. */
  migrateTimeoutSeconds: number;
}

export interface PipelineConfig {
  frontend: FrontendConfig;
  backend: BackendConfig;
  services: { mongo: MongoServiceConfig };
  e2e: E2eConfig;
  thresholds: ThresholdsConfig;
  deploy: DeployConfig;
  /** Prefix of every cache volume name, so one engine can hold several repos' caches apart. */
  cacheNamespace: string;
  /** The GitHub Actions rate used for the per-run cost estimate (docs/requirements.md#R-billing). */
  billing: { ratePerMinute: number };
  /** Checks beyond the tests (SAST, secrets, dependency audit …), each off until turned on. */
  quality: QualityConfig;
  /** What was taken from the repository's own files where pipeline.yaml is silent, and why. */
  detected?: string[];
}

/** The file a target repo may carry at its root. */
export const CONFIG_FILE = "pipeline.yaml";

/** The Auto-Author conventions; a `pipeline.yaml` overrides any part of them. */
export function defaultConfig(): PipelineConfig {
  return {
    frontend: {
      path: "frontend",
      nodeVersion: "20",
      nodePin: { range: ">=20", why: "the default (no .nvmrc, .node-version, engines.node or packageManager pin)" },
      packageManager: "npm",
      image: IMAGES.node.ref,
      install: "npm ci",
      steps: {
        lint: "npm run lint",
        typecheck: "npm run typecheck",
        unit: "npm run test:coverage",
        build: "npm run build",
      },
      after: {},
      cores: {},
      env: { NEXT_TELEMETRY_DISABLED: "1", CI: "true" },
      buildEnv: { NEXT_PUBLIC_API_URL: "http://localhost:8000" },
    },
    backend: {
      path: "backend",
      pythonVersion: "3.12",
      packageManager: "uv",
      requirements: [],
      requirementIncludes: [],
      image: IMAGES.uv.ref,
      install: "uv sync --frozen",
      test: "uv run --frozen pytest",
      coverageSource: "app",
      deselectMarkers: ["e2e"],
      deselect: [],
      env: { UV_PYTHON_DOWNLOADS: "never", UV_LINK_MODE: "copy", CI: "true" },
    },
    services: {
      mongo: {
        image: IMAGES.mongo.ref,
        port: 27017,
        database: "autoauthor_test",
        env: { DATABASE_URI: "mongodb://{host}:{port}/{database}" },
        hostCommands: [
          { bin: "mongod", args: ["--port", "{port}", "--bind_ip", "127.0.0.1", "--dbpath", "{dataDir}", "--quiet"] },
          // The most compatible stand-in here (test/compat/mongo, docs/mongo.md); FerretDB v1 where Java is missing.
          { bin: "mongo-stand-in", args: ["{port}", "127.0.0.1"] },
          {
            bin: "ferretdb",
            args: [
              "--handler=sqlite",
              "--sqlite-url=file:{dataDir}/",
              "--listen-addr=127.0.0.1:{port}",
              "--debug-addr=-",
              "--state-dir={dataDir}",
              "--telemetry=disable",
              "--log-level=warn",
            ],
          },
        ],
      },
    },
    e2e: {
      testDir: "e2e",
      shards: 4,
      smokeTag: "@smoke",
      readyAttempts: 30,
      readyIntervalSeconds: 10,
      healthPath: "/api/v1/health",
    },
    thresholds: {
      fastTests: { target: 5, alert: 7 },
      deploy: { target: 2, alert: 4 },
      e2e: { target: 15, alert: 20 },
      coverage: 85,
    },
    deploy: {
      keep: 5,
      health: { attempts: 10, intervalSeconds: 5, failuresBeforeRollback: 3 },
      strategy: "bluegreen",
      watch: { windowSeconds: 60, errorRatePercent: 5, minRequests: 20, p95RollbackSeconds: 5, p95AlertSeconds: 2 },
      canary: { steps: [5, 25, 50, 100] },
      migrate: "",
      migrateTimeoutSeconds: 600,
    },
    cacheNamespace: "autoauthor",
    billing: { ratePerMinute: 0.008 },
    quality: defaultQuality(),
  };
}
