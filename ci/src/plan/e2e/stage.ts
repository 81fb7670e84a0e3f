import { InputError } from "../errors";
import type { PipelineConfig } from "../config/defaults";
import { playwrightImage, UV_VERSION } from "../images";
import { assignShards, validateShardCount, type ShardAssignment } from "./shards";
import type { Suite } from "./summary";
import { toArgv } from "../config/command";
import type { Job, Step } from "../job";
import { thresholdOf } from "../config/thresholds";
import { installArgv } from "../fastTests/backend";
import { CONTAINER_TOOLS_DIR, planQuality, type QualityPlan } from "./quality/plan";

/** Where a run keeps its files, relative to the frontend directory (git-ignored). */
export const E2E_WORK = ".e2e";
export const E2E_PATHS = {
  blobDir: (i: number) => `${E2E_WORK}/blob-${i}`,
  blobName: (i: number) => `report-${i}.zip`,
  resultsDir: (i: number) => `${E2E_WORK}/results-${i}`,
  /** Every shard's blob zip, gathered for merge-reports. */
  blobs: `${E2E_WORK}/blobs`,
  report: `${E2E_WORK}/report`,
  html: `${E2E_WORK}/report/html`,
  json: `${E2E_WORK}/report/results.json`,
  junit: `${E2E_WORK}/report/junit.xml`,
  /** Backend E2E JUnit, relative to the backend directory. */
  backendJunit: "e2e-junit.xml",
} as const;

/** Input a caller got wrong (suite, URLs, Playwright missing): says what and what to pass. */
export class E2eInputError extends InputError {
  constructor(message: string) {
    super(message);
  }
}

export interface E2eInput {
  suite: string;
  shards: number;
  /** Spec files relative to the Playwright testDir, as the runner found them. */
  files: string[];
  /** Seconds per spec file from the previous merged report (empty: Playwright's --shard). */
  timings: ReadonlyMap<string, number>;
  baseUrl: string;
  apiUrl: string;
  playwrightVersion: string;
  /** Where the quality tools are (the host runner's own); default: installed into the container. */
  qualityTools?: string;
}

/** Tier 3 as data: N Playwright shard jobs, one merge job, and the backend's E2E pytest. */
export interface E2ePlan {
  suite: Suite;
  assignment: ShardAssignment;
  warnings: string[];
  shardJobs: Job[];
  mergeJob: Job;
  backendJob: Job;
  /** The E2E quality checks (a11y, budgets, visual); none when all are off. */
  quality?: QualityPlan;
}

/** Plan an E2E run. Pure: the runner lists the spec files and reads the timings first. */
export function planE2e(c: PipelineConfig, input: E2eInput): E2ePlan {
  const suite = checkSuite(input.suite);
  for (const [flag, url] of [
    ["--base-url", input.baseUrl],
    ["--api-url", input.apiUrl],
  ])
    checkUrl(flag, url);
  if (input.files.length === 0) {
    throw new E2eInputError(
      `no Playwright spec files under ${c.frontend.path}/${c.e2e.testDir}. Add one (e.g. e2e/home.spec.ts) or set e2e.testDir in pipeline.yaml.`,
    );
  }
  const { shards, warning } = validateShardCount(input.shards, input.files.length);
  const assignment = assignShards(input.files, shards, input.timings);
  const image = playwrightImage(input.playwrightVersion);
  return {
    suite,
    assignment,
    warnings: warning ? [warning] : [],
    shardJobs: assignment.shards.map((s) =>
      nodeJob(c, `e2e-shard-${s.index}`, image, input, [shardStep(c, suite, assignment, s.index, s.files)]),
    ),
    mergeJob: nodeJob(c, "e2e-merge", image, input, [mergeStep()]),
    backendJob: backendE2eJob(c, input.apiUrl),
    quality: planQuality(
      c.quality,
      nodeJob(c, "e2e-quality", image, input, []),
      input.baseUrl,
      input.qualityTools ?? CONTAINER_TOOLS_DIR,
    ),
  };
}

/** The installed @playwright/test version: the lockfile's, else an exact package.json pin. */
export function playwrightVersion(packageJson: string, packageLock?: string): string {
  const locked = packageLock
    ? (JSON.parse(packageLock) as { packages?: Record<string, { version?: string }> }).packages?.[
        "node_modules/@playwright/test"
      ]?.version
    : undefined;
  if (locked) return locked;
  const pkg = JSON.parse(packageJson) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const pinned = pkg.devDependencies?.["@playwright/test"] ?? pkg.dependencies?.["@playwright/test"];
  if (pinned && /^\d+\.\d+\.\d+$/.test(pinned)) return pinned;
  throw new E2eInputError(
    `cannot tell the @playwright/test version (package.json has ${pinned ? `"${pinned}", not an exact version,` : "none"} and package-lock.json has none). Run \`npm i -D -E @playwright/test\` in the frontend.`,
  );
}

/** Playwright's default testMatch: `*.spec.ts`, `*.test.js`, ... */
export function isSpecFile(path: string): boolean {
  return /\.(spec|test)\.(c|m)?[jt]sx?$/.test(path);
}

function checkSuite(suite: string): Suite {
  if (suite === "smoke" || suite === "full") return suite;
  throw new E2eInputError(
    `--suite ${suite} is not a suite. Use --suite smoke (the @smoke-tagged tests, after each deploy) or --suite full (nightly).`,
  );
}

function checkUrl(flag: string, url: string): void {
  if (!/^https?:\/\/[^\s/]+/.test(url))
    throw new E2eInputError(`${flag} "${url}" is not an http(s) URL. Pass e.g. ${flag} http://127.0.0.1:3000`);
}

function shardStep(c: PipelineConfig, suite: Suite, a: ShardAssignment, index: number, files: string[]): Step {
  const filters =
    a.mode === "balanced"
      ? files.map((f) => `/\\/${escapeRegExp(`${c.e2e.testDir}/${f}`)}$/`)
      : [`--shard=${index}/${a.shards.length}`];
  return {
    name: "playwright",
    argv: [
      "npx",
      "playwright",
      "test",
      ...filters,
      ...(suite === "smoke" ? ["--grep", c.e2e.smokeTag] : []),
      "--reporter=blob",
      `--output=${E2E_PATHS.resultsDir(index)}`,
      "--pass-with-no-tests",
    ],
    env: {
      PLAYWRIGHT_BLOB_OUTPUT_DIR: E2E_PATHS.blobDir(index),
      PLAYWRIGHT_BLOB_OUTPUT_NAME: E2E_PATHS.blobName(index),
    },
  };
}

function mergeStep(): Step {
  return {
    name: "merge-reports",
    // `--config .` (the frontend's own Playwright config) gives merge-reports the local testDir, so blobs
    // recorded under another machine's checkout path still merge ("recorded with different test directories").
    argv: ["npx", "playwright", "merge-reports", "--config", ".", "--reporter=html,json,junit", E2E_PATHS.blobs],
    env: {
      PLAYWRIGHT_HTML_OUTPUT_DIR: E2E_PATHS.html,
      PLAYWRIGHT_HTML_OPEN: "never",
      PLAYWRIGHT_JSON_OUTPUT_FILE: E2E_PATHS.json,
      PLAYWRIGHT_JUNIT_OUTPUT_FILE: E2E_PATHS.junit,
    },
  };
}

function nodeJob(c: PipelineConfig, name: string, image: string, input: E2eInput, steps: Step[]): Job {
  const fe = c.frontend;
  return {
    name,
    stage: "e2e",
    image,
    workdir: fe.path,
    manifests: ["package.json", "package-lock.json"],
    install: [{ name: "install", argv: toArgv(fe.install, "frontend.install") }],
    steps,
    caches: [{ key: `${c.cacheNamespace}-npm`, path: "/root/.npm" }],
    env: { ...fe.env, CI: "true", BASE_URL: input.baseUrl, API_URL: input.apiUrl },
    services: [],
    tools: [
      { bin: "node", minMajor: Number.parseInt(fe.nodeVersion, 10), installHint: `install Node.js ${fe.nodeVersion}` },
      {
        bin: "chromium",
        installHint: "apt-get install chromium (or run scripts/setup.sh); never `npx playwright install`",
      },
    ],
    artifacts: name === "e2e-merge" ? [E2E_PATHS.report] : [E2E_PATHS.blobDir(Number(name.split("-").pop()))],
    threshold: thresholdOf(c.thresholds.e2e),
  };
}

function backendE2eJob(c: PipelineConfig, apiUrl: string): Job {
  const be = c.backend;
  return {
    name: "backend-e2e",
    stage: "e2e",
    image: be.image,
    workdir: be.path,
    manifests: ["pyproject.toml", "uv.lock"],
    install: [{ name: "install", argv: installArgv(c) }],
    steps: [
      {
        name: "pytest-e2e",
        argv: [
          ...toArgv(be.test, "backend.test"),
          "-m",
          be.deselectMarkers.join(" or ") || "e2e",
          `--junitxml=${E2E_PATHS.backendJunit}`,
          "-p",
          "no:cacheprovider",
        ],
      },
    ],
    caches: [{ key: `${c.cacheNamespace}-uv`, path: "/root/.cache/uv" }],
    env: { ...be.env, API_URL: apiUrl },
    services: [],
    tools: [{ bin: "uv", installHint: `pip install uv==${UV_VERSION} (or run scripts/setup.sh)` }],
    artifacts: [E2E_PATHS.backendJunit],
    threshold: thresholdOf(c.thresholds.e2e),
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
