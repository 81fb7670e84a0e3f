import { InputError } from "../errors";
import type { PipelineConfig } from "../config/defaults";
import { playwrightImage, UV_VERSION } from "../images";
import { assignShards, validateShardCount, type ShardAssignment } from "./shards";
import type { Suite } from "./summary";
import { toArgv } from "../config/command";
import type { Job, Step } from "../job";
import { thresholdOf } from "../config/thresholds";
import { backendToolchain } from "../fastTests/backend";
import { frontendToolchain } from "../fastTests/frontend";
import { splitManager } from "../config/toolchains";
import { JS_LOCKFILES, jsExec, jsInstallMarker, managerArgv, type JsManager } from "../toolchain/javascript";
import { lockedVersion } from "../toolchain/lockfile";
import { acceptCommand, CONTAINER_TOOLS_DIR, planQuality, type QualityPlan } from "./quality/plan";

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
  /** Whose command line the hints name (accepting new baselines); default: the host runner's. */
  runner?: "dagger" | "host";
}

/** Tier 3 as data: N Playwright shard jobs, one merge job, and the backend's E2E pytest. */
export interface E2ePlan {
  suite: Suite;
  /** Every spec file found, relative to the testDir: what a full run's merged report must hold. */
  specFiles: string[];
  assignment: ShardAssignment;
  warnings: string[];
  shardJobs: Job[];
  mergeJob: Job;
  backendJob: Job;
  /** The E2E quality checks (a11y, budgets, visual); none when all are off. */
  quality?: QualityPlan;
  /**
   * How a runner sharing one frontend checkout tells the install is done (relative to the frontend): the manager's
   * marker newer than the lockfile.
   */
  installed: { marker: string; lockfile: string };
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
  const pm = splitManager(c.frontend.packageManager);
  const playwright = jsExec(pm.manager, "playwright");
  const installed = { marker: jsInstallMarker(pm), lockfile: JS_LOCKFILES[pm.manager] };
  const qualityBase = nodeJob(c, "e2e-quality", image, input, []);
  const tools = input.qualityTools ?? CONTAINER_TOOLS_DIR;
  const accept = acceptCommand(input.runner ?? "host", `${c.frontend.path}/${c.quality.visual.baselines}`);
  const quality = planQuality(c.quality, qualityBase, input.baseUrl, tools, playwright, accept);
  return {
    suite,
    specFiles: input.files,
    assignment,
    warnings: warning ? [warning] : [],
    shardJobs: assignment.shards.map((s) =>
      nodeJob(c, `e2e-shard-${s.index}`, image, input, [shardStep(c, suite, assignment, s.index, s.files, playwright)]),
    ),
    mergeJob: nodeJob(c, "e2e-merge", image, input, [mergeStep(playwright)]),
    backendJob: backendE2eJob(c, input.apiUrl),
    quality: quality && { ...quality, installed },
    installed,
  };
}

/** A frontend lockfile as the runner read it: the manager that writes it, and its text (none: no such file). */
export interface FrontendLock {
  manager: JsManager;
  text?: string;
}

/** The frontend's lockfile (relative to it) that tells the installed @playwright/test: its manager's own. */
export function frontendLockfile(c: PipelineConfig): { manager: JsManager; file: string } {
  const { manager } = splitManager(c.frontend.packageManager);
  return { manager, file: JS_LOCKFILES[manager] };
}

/** The installed @playwright/test version: the manager's lockfile's, else an exact package.json pin. */
export function playwrightVersion(packageJson: string, lock?: FrontendLock): string {
  const pkg = JSON.parse(packageJson) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const pinned = pkg.devDependencies?.["@playwright/test"] ?? pkg.dependencies?.["@playwright/test"];
  const locked = lock?.text && lockedVersion(lock.manager, lock.text, "@playwright/test", pinned);
  if (locked) return locked;
  if (pinned && /^\d+\.\d+\.\d+$/.test(pinned)) return pinned;
  const manager = lock?.manager ?? "npm";
  const add = manager === "npm" ? "npm i" : `${managerArgv(manager).join(" ")} add`;
  throw new E2eInputError(
    `cannot tell the @playwright/test version (package.json has ${pinned ? `"${pinned}", not an exact version,` : "none"} and ${JS_LOCKFILES[manager]} has none). Run \`${add} -D -E @playwright/test\` in the frontend.`,
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

/** One shard's Playwright run; `playwright` runs the frontend's own binary through its manager (jsExec). */
function shardStep(
  c: PipelineConfig,
  suite: Suite,
  a: ShardAssignment,
  index: number,
  files: string[],
  playwright: string[],
): Step {
  const filters =
    a.mode === "balanced"
      ? files.map((f) => `/\\/${escapeRegExp(`${c.e2e.testDir}/${f}`)}$/`)
      : [`--shard=${index}/${a.shards.length}`];
  return {
    name: "playwright",
    argv: [
      ...playwright,
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

function mergeStep(playwright: string[]): Step {
  return {
    name: "merge-reports",
    // `--config .` (the frontend's own Playwright config) gives merge-reports the local testDir, so blobs
    // recorded under another machine's checkout path still merge ("recorded with different test directories").
    argv: [...playwright, "merge-reports", "--config", ".", "--reporter=html,json,junit", E2E_PATHS.blobs],
    env: {
      PLAYWRIGHT_HTML_OUTPUT_DIR: E2E_PATHS.html,
      PLAYWRIGHT_HTML_OPEN: "never",
      PLAYWRIGHT_JSON_OUTPUT_FILE: E2E_PATHS.json,
      PLAYWRIGHT_JUNIT_OUTPUT_FILE: E2E_PATHS.junit,
    },
  };
}

/** A Playwright job in the frontend: the fast-tests frontend job's toolchain (manager, caches, env), plus Chromium. */
function nodeJob(c: PipelineConfig, name: string, image: string, input: E2eInput, steps: Step[]): Job {
  const tc = frontendToolchain(c);
  return {
    name,
    stage: "e2e",
    image,
    ...tc,
    steps,
    env: { ...tc.env, CI: "true", BASE_URL: input.baseUrl, API_URL: input.apiUrl },
    services: [],
    tools: [
      ...tc.tools,
      {
        bin: "chromium",
        installHint: "apt-get install chromium (or run scripts/setup.sh); never `npx playwright install`",
      },
    ],
    artifacts: name === "e2e-merge" ? [E2E_PATHS.report] : [E2E_PATHS.blobDir(Number(name.split("-").pop()))],
    threshold: thresholdOf(c.thresholds.e2e),
  };
}

/** The backend's E2E pytest: the fast-tests backend job's toolchain (uv, Poetry or requirements files). */
function backendE2eJob(c: PipelineConfig, apiUrl: string): Job {
  const be = c.backend;
  const { root, ...tc } = backendToolchain(c);
  return {
    name: "backend-e2e",
    stage: "e2e",
    image: be.image,
    ...tc,
    steps: [
      // Poetry's root package (a src/ layout) once the source is there; the runners run the last step as the result.
      ...root,
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
    env: { ...tc.env, API_URL: apiUrl },
    services: [],
    tools: [{ bin: "uv", installHint: `pip install uv==${UV_VERSION} (or run scripts/setup.sh)` }],
    artifacts: [E2E_PATHS.backendJunit],
    threshold: thresholdOf(c.thresholds.e2e),
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
