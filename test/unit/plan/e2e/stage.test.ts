import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../../../ci/src/plan/config/defaults";
import {
  E2E_PATHS,
  E2eInputError,
  isSpecFile,
  planE2e,
  playwrightVersion,
  type E2eInput,
} from "../../../../ci/src/plan/e2e/stage";
import { ShardCountError } from "../../../../ci/src/plan/e2e/shards";
import { playwrightImage } from "../../../../ci/src/plan/images";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { installArgv } from "../../../../ci/src/plan/fastTests/backend";

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

describe("playwrightVersion", () => {
  it("prefers the lockfile's installed version", () => {
    const lock = JSON.stringify({ packages: { "node_modules/@playwright/test": { version: "1.65.1" } } });
    expect(playwrightVersion('{"devDependencies":{"@playwright/test":"^1.60.0"}}', lock)).toBe("1.65.1");
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
