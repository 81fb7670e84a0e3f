import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../../../ci/src/plan/config/defaults";
import {
  E2E_PATHS,
  E2eInputError,
  frontendLockfile,
  isSpecFile,
  planE2e,
  playwrightVersion,
  type E2eInput,
} from "../../../../ci/src/plan/e2e/stage";
import { ShardCountError } from "../../../../ci/src/plan/e2e/shards";
import { playwrightImage } from "../../../../ci/src/plan/images";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { installArgv } from "../../../../ci/src/plan/fastTests/backend";
import { planFrontendJob } from "../../../../ci/src/plan/fastTests/frontend";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A fixture's package.json and lockfile with @playwright/test, by the real manager (test/fixtures/lockfiles). */
const LOCKS = join(import.meta.dirname, "../../../fixtures/lockfiles");
const fixture = (dir: string, lock: string) => ({
  pkg: readFileSync(join(LOCKS, dir, "package.json"), "utf8"),
  text: readFileSync(join(LOCKS, dir, lock), "utf8"),
});

const files = ["about.spec.ts", "api-health.spec.ts", "books.spec.ts", "home.spec.ts", "navigation.spec.ts"];
const input: E2eInput = {
  suite: "full",
  shards: 4,
  files,
  timings: new Map(),
  baseUrl: "http://web:3000",
  apiUrl: "http://api:8000",
  playwrightVersion: "1.65.1",
};
const c = defaultConfig();

describe("planE2e", () => {
  it("plans N shard jobs on the Playwright image matching @playwright/test, one merge job and the backend E2E", () => {
    const p = planE2e(c, input);
    expect(p.shardJobs.map((j) => j.name)).toEqual(["e2e-shard-1", "e2e-shard-2", "e2e-shard-3", "e2e-shard-4"]);
    expect(new Set([...p.shardJobs, p.mergeJob].map((j) => j.image))).toEqual(
      new Set(["mcr.microsoft.com/playwright:v1.65.1-noble"]),
    );
    expect(p.mergeJob.name).toBe("e2e-merge");
    expect(p.backendJob.steps[0].argv).toEqual([
      "uv",
      "run",
      "--frozen",
      "pytest",
      "-m",
      "e2e",
      "--junitxml=e2e-junit.xml",
      "-p",
      "no:cacheprovider",
    ]);
    expect(p.backendJob.env.API_URL).toBe("http://api:8000");
  });

  it("mounts the npm cache, installs from the lockfile and points the tests at the URLs with CI retries on", () => {
    const [job] = planE2e(c, input).shardJobs;
    expect(job.caches).toEqual([{ key: "autoauthor-npm", path: "/root/.npm" }]);
    expect(job.manifests).toEqual(["package.json", "package-lock.json"]);
    expect(job.install[0].argv).toEqual(["npm", "ci"]);
    expect(job.env).toMatchObject({ CI: "true", BASE_URL: "http://web:3000", API_URL: "http://api:8000" });
  });

  it("gives each shard the blob reporter with its own blob dir, blob name and output dir", () => {
    const [s1, s2] = planE2e(c, input).shardJobs.map((j) => j.steps[0]);
    expect(s1.argv).toEqual([
      "npx",
      "--no-install",
      "playwright",
      "test",
      "--shard=1/4",
      "--reporter=blob",
      "--output=.e2e/results-1",
      "--pass-with-no-tests",
    ]);
    expect(s1.env).toEqual({ PLAYWRIGHT_BLOB_OUTPUT_DIR: ".e2e/blob-1", PLAYWRIGHT_BLOB_OUTPUT_NAME: "report-1.zip" });
    expect(s2.env?.PLAYWRIGHT_BLOB_OUTPUT_DIR).toBe(".e2e/blob-2");
  });

  it("greps the smoke tag for --suite smoke only", () => {
    expect(planE2e(c, { ...input, suite: "smoke" }).shardJobs[0].steps[0].argv).toContain("@smoke");
    expect(planE2e(c, input).shardJobs[0].steps[0].argv).not.toContain("--grep");
  });

  it("runs whole files per shard, anchored, when timings exist", () => {
    const timings = new Map(files.map((f, i) => [f, i + 1]));
    const p = planE2e(c, { ...input, shards: 2, timings });
    expect(p.assignment.mode).toBe("balanced");
    const argv = p.shardJobs[0].steps[0].argv;
    expect(argv).toContain("/\\/e2e\\/navigation\\.spec\\.ts$/");
    expect(argv.some((a) => a.startsWith("--shard"))).toBe(false);
  });

  it("merges every blob with Playwright's merge-reports into HTML, JSON and JUnit in one report dir", () => {
    const step = planE2e(c, input).mergeJob.steps[0];
    expect(step.argv).toEqual([
      "npx",
      "--no-install",
      "playwright",
      "merge-reports",
      "--config",
      ".",
      "--reporter=html,json,junit",
      E2E_PATHS.blobs,
    ]);
    expect(step.env).toMatchObject({
      PLAYWRIGHT_HTML_OUTPUT_DIR: ".e2e/report/html",
      PLAYWRIGHT_JSON_OUTPUT_FILE: ".e2e/report/results.json",
      PLAYWRIGHT_JUNIT_OUTPUT_FILE: ".e2e/report/junit.xml",
      PLAYWRIGHT_HTML_OPEN: "never",
    });
  });

  it("installs the backend E2E with the same extras and groups as fast-tests' backend, so pytest is there", () => {
    const withExtras = parseConfig("backend:\n  extras: [test]\n  groups: [dev]\n");
    expect(planE2e(withExtras, input).backendJob.install[0].argv).toEqual(installArgv(withExtras));
    expect(installArgv(withExtras)).toEqual(["uv", "sync", "--frozen", "--extra", "test", "--group", "dev"]);
  });

  it("clamps more shards than files, with a warning", () => {
    const p = planE2e(c, { ...input, shards: 9 });
    expect(p.shardJobs).toHaveLength(5);
    expect(p.warnings).toEqual([expect.stringMatching(/--shards 9 is more than the 5 spec files/)]);
  });

  it("refuses bad input before anything runs", () => {
    expect(() => planE2e(c, { ...input, shards: 0 })).toThrow(ShardCountError);
    expect(() => planE2e(c, { ...input, suite: "nightly" })).toThrow(
      /--suite nightly is not a suite\. Use --suite smoke .* or --suite full/,
    );
    expect(() => planE2e(c, { ...input, baseUrl: "staging" })).toThrow(/--base-url "staging" is not an http\(s\) URL/);
    expect(() => planE2e(c, { ...input, files: [] })).toThrow(E2eInputError);
  });
});

const PW_ENV = { CI: "true", BASE_URL: "http://web:3000", API_URL: "http://api:8000" };
const QUALITY = "quality:\n  a11y: { enabled: true }\n";

describe("planE2e with each package manager", () => {
  it("runs pnpm's frozen install, caches and Playwright, and Poetry's install with the project's root", () => {
    const pc = parseConfig(`${QUALITY}frontend:\n  packageManager: pnpm\nbackend:\n  packageManager: poetry\n`);
    const p = planE2e(pc, input);
    const [shard] = p.shardJobs;
    expect(shard.manifests).toEqual(["package.json", "pnpm-lock.yaml"]);
    expect(shard.install.map((s) => s.argv)).toEqual([["corepack", "pnpm", "install", "--frozen-lockfile"]]);
    expect(shard.caches).toEqual([
      { key: "autoauthor-corepack", path: "/root/.cache/node/corepack" },
      { key: "autoauthor-pnpm-store", path: "/root/.local/share/pnpm/store" },
    ]);
    expect(shard.env).toEqual({ COREPACK_ENABLE_DOWNLOAD_PROMPT: "0", NEXT_TELEMETRY_DISABLED: "1", ...PW_ENV });
    expect(shard.tools.map((t) => t.bin)).toEqual(["node", "corepack", "chromium"]);
    expect(shard.steps[0].argv.slice(0, 5)).toEqual(["corepack", "pnpm", "exec", "playwright", "test"]);
    expect(p.mergeJob.steps[0].argv.slice(0, 5)).toEqual(["corepack", "pnpm", "exec", "playwright", "merge-reports"]);
    expect(p.quality?.job.steps[0].argv.slice(0, 5)).toEqual(["corepack", "pnpm", "exec", "playwright", "test"]);
    const be = p.backendJob;
    const poetry = ["uv", "tool", "run", "--from", "poetry==2.5.1", "poetry"];
    expect(be.manifests).toEqual(["pyproject.toml", "poetry.lock"]);
    expect(be.install.map((s) => s.argv)).toEqual([[...poetry, "install", "--no-root"]]);
    // The root package (a src/ layout) is installed once the source is there, before pytest imports it.
    expect(be.steps.map((s) => s.argv)).toEqual([
      [...poetry, "install", "--only-root"],
      [...poetry, "run", "pytest", "-m", "e2e", "--junitxml=e2e-junit.xml", "-p", "no:cacheprovider"],
    ]);
    expect(be.caches.map((m) => m.path)).toEqual(["/root/.cache/uv", "/root/.cache/pypoetry"]);
    expect(be.env).toMatchObject({ POETRY_VIRTUALENVS_IN_PROJECT: "true", API_URL: "http://api:8000" });
  });

  it("runs yarn classic's Playwright with `yarn run`, and requirements files into a fresh .venv", () => {
    const pc = parseConfig(
      "frontend:\n  packageManager: yarn-classic\nbackend:\n  packageManager: pip\n  requirements: [requirements.txt, requirements-dev.txt]\n",
    );
    const p = planE2e(pc, input);
    expect(p.mergeJob.manifests).toEqual(["package.json", "yarn.lock"]);
    expect(p.mergeJob.install[0].argv).toEqual(["corepack", "yarn", "install", "--frozen-lockfile"]);
    expect(p.mergeJob.caches.map((m) => m.path)).toEqual([
      "/root/.cache/node/corepack",
      "/usr/local/share/.cache/yarn",
    ]);
    expect(p.shardJobs[0].steps[0].argv.slice(0, 4)).toEqual(["corepack", "yarn", "run", "playwright"]);
    expect(p.backendJob.manifests).toEqual(["requirements.txt", "requirements-dev.txt"]);
    expect(p.backendJob.install.map((s) => s.argv)).toEqual([
      ["uv", "venv", "--clear"],
      ["uv", "pip", "install", "--python", ".venv/bin/python", "-r", "requirements.txt", "-r", "requirements-dev.txt"],
    ]);
    expect(p.backendJob.steps[0].argv.slice(0, 3)).toEqual([".venv/bin/python", "-m", "pytest"]);
  });

  it("runs yarn berry (Plug'n'Play: no node_modules/.bin) through `yarn run`, with .yarnrc.yml and its release", () => {
    const yarnrcText = "yarnPath: .yarn/releases/yarn-4.9.2.cjs\n";
    const pc = parseConfig("frontend:\n  packageManager: yarn-berry\n", undefined, {
      frontend: { lockfiles: ["yarn"], yarnrc: true, yarnrcText },
    });
    const p = planE2e(pc, input);
    expect(p.shardJobs[0].manifests).toEqual([
      "package.json",
      "yarn.lock",
      ".yarnrc.yml",
      ".yarn/releases/yarn-4.9.2.cjs",
    ]);
    expect(p.shardJobs[0].install[0].argv).toEqual(["corepack", "yarn", "install", "--immutable"]);
    expect(p.shardJobs[0].env).toMatchObject({ COREPACK_NPM_REGISTRY: "https://registry.npmjs.org", ...PW_ENV });
    expect(p.shardJobs[0].caches.map((m) => m.path)).toEqual(["/root/.cache/node/corepack", "/root/.yarn/berry/cache"]);
    expect(p.mergeJob.steps[0].argv.slice(0, 5)).toEqual(["corepack", "yarn", "run", "playwright", "merge-reports"]);
  });

  it("reads @playwright/test from the manager's lockfile and tells a runner sharing one install when it is done", () => {
    for (const [pm, file, marker] of [
      ["npm", "package-lock.json", "node_modules/.package-lock.json"],
      ["pnpm", "pnpm-lock.yaml", "node_modules/.modules.yaml"],
      ["yarn-classic", "yarn.lock", "node_modules/.yarn-integrity"],
      ["yarn-berry", "yarn.lock", ".yarn/install-state.gz"],
    ]) {
      const pc = parseConfig(`${QUALITY}frontend:\n  packageManager: ${pm}\n`);
      expect(frontendLockfile(pc).file, pm).toBe(file);
      const p = planE2e(pc, input);
      expect(p.installed, pm).toEqual({ marker, lockfile: file });
      expect(p.quality?.installed, pm).toEqual(p.installed);
    }
  });

  it("gives every E2E node job the frontend job's manifests, install, manager caches, env and tools", () => {
    for (const pm of ["npm", "pnpm", "yarn-classic", "yarn-berry"]) {
      const pc = parseConfig(`${QUALITY}frontend:\n  packageManager: ${pm}\n`);
      const fe = planFrontendJob(pc);
      const p = planE2e(pc, input);
      for (const job of [...p.shardJobs, p.mergeJob, p.quality!.job]) {
        expect(job.manifests, pm).toEqual(fe.manifests);
        expect(job.install, pm).toEqual(fe.install);
        expect(job.caches, pm).toEqual(fe.caches.filter((m) => !m.path.endsWith(".next/cache")));
        expect(job.env, pm).toMatchObject(fe.env);
        expect(job.tools.slice(0, -1), pm).toEqual(fe.tools);
      }
    }
  });
});

describe("playwrightVersion", () => {
  it("prefers the lockfile's installed version", () => {
    const lock = JSON.stringify({ packages: { "node_modules/@playwright/test": { version: "1.65.1" } } });
    expect(
      playwrightVersion('{"devDependencies":{"@playwright/test":"^1.60.0"}}', { manager: "npm", text: lock }),
    ).toBe("1.65.1");
  });

  it("reads the version pnpm, yarn classic and yarn berry installed from their own lockfiles", () => {
    for (const [dir, manager, lock] of [
      ["pnpm", "pnpm", "pnpm-lock.yaml"],
      ["yarn-classic", "yarn", "yarn.lock"],
      ["yarn-berry", "yarn", "yarn.lock"],
    ] as const) {
      const f = fixture(dir, lock);
      // package.json says a range: only the lockfile can tell the version installed.
      const ranged = f.pkg.replace('"@playwright/test": "1.65.1"', '"@playwright/test": "^1.60.0"');
      const text = f.text.replace(/1\.65\.1/g, "1.65.2").replace(/(@playwright\/test@(npm:)?)1\.65\.2/g, "$1^1.60.0");
      expect(playwrightVersion(f.pkg, { manager, text: f.text }), dir).toBe("1.65.1");
      expect(playwrightVersion(ranged, { manager, text }), dir).toBe("1.65.2");
    }
  });

  it("names the manager's own command when no lockfile or pin tells the version", () => {
    const pkg = '{"devDependencies":{"@playwright/test":"^1.60.0"}}';
    expect(() => playwrightVersion(pkg, { manager: "pnpm", text: "lockfileVersion: '9.0'\n" })).toThrow(
      /pnpm-lock\.yaml has none\)\. Run `corepack pnpm add -D -E @playwright\/test`/,
    );
    expect(() => playwrightVersion(pkg, { manager: "yarn" })).toThrow(
      /yarn\.lock has none\)\. Run `corepack yarn add -D -E @playwright\/test`/,
    );
  });

  it("takes an exact package.json pin without a lockfile, and refuses a range", () => {
    expect(playwrightVersion('{"devDependencies":{"@playwright/test":"1.65.1"}}')).toBe("1.65.1");
    expect(() => playwrightVersion('{"devDependencies":{"@playwright/test":"^1.60.0"}}')).toThrow(
      /npm i -D -E @playwright\/test/,
    );
  });

  it("gives the official image tag", () => {
    expect(playwrightImage("1.65.1")).toBe("mcr.microsoft.com/playwright:v1.65.1-noble");
  });
});

describe("isSpecFile", () => {
  it("matches Playwright's default testMatch", () => {
    expect(["a.spec.ts", "d/b.test.js", "c.spec.mjs", "x.spec.tsx"].every(isSpecFile)).toBe(true);
    expect(["helpers.ts", "a.spec.ts.bak", "fixtures.json"].some(isSpecFile)).toBe(false);
  });
});
