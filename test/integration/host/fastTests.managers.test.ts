import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPipeline } from "../../support/cli";

const EXAMPLES = resolve(import.meta.dirname, "../../../examples");
const SKIP = new Set(["node_modules", ".venv", ".yarn", ".pnp.cjs", ".pnp.loader.mjs", "__pycache__", "pipeline.yaml"]);

/** A fresh copy of an example repository, as a clone would have it. */
function cloneOf(example: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), `${example}-`)), example);
  cpSync(join(EXAMPLES, example), dir, { recursive: true, filter: (src) => !SKIP.has(basename(src)) });
  return dir;
}

/** Replace `from` with `to` in a file of the copy: the injected fault, a test that no longer holds. */
function breakTest(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

/**
 * yarn classic and yarn berry frontends, requirements-file backends (with and without a pyproject.toml), each driven
 * by the pipeline.yaml `init` wrote, on the real tools: corepack's yarn (1.22.22 from the npm registry, berry from
 * its @yarnpkg/cli-dist, both checked against the hash in packageManager), uv venv and uv pip, the Mongo stand-in.
 */
describe.each([
  {
    example: "yarn-classic",
    manager: "yarn-classic",
    install: "corepack yarn install --frozen-lockfile",
    backendWhy: "backend/requirements.txt lists its packages (no pyproject.toml)",
    requirements: "-r requirements.txt -r requirements-dev.txt",
    // The frontend's own test, made false.
    fault: { file: "frontend/test/cart.test.mjs", from: "600);", to: "601);", job: "frontend", step: "unit" },
  },
  {
    example: "yarn-berry",
    manager: "yarn-berry",
    install: "corepack yarn install --immutable",
    backendWhy: "backend/pyproject.toml is the Python project",
    requirements: "-r requirements.txt",
    fault: { file: "backend/tests/test_store.py", from: "== 1500", to: "== 1501", job: "backend", step: "pytest" },
  },
])("init, then fast-tests on examples/$example", ({ example, manager, install, backendWhy, requirements, fault }) => {
  let dir: string;
  beforeAll(() => {
    dir = cloneOf(example);
  });
  afterAll(() => rmSync(join(dir, ".."), { recursive: true, force: true }), 120_000);

  it("init says which managers it found and why", async () => {
    const r = await runPipeline(["init", "--source", dir]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toContain(
      `frontend.packageManager: "${manager}"  (package.json packageManager yarn@${manager === "yarn-berry" ? "4.9.2" : "1.22.22"} (+sha512 hash) and yarn.lock)`,
    );
    expect(r.stdout).toContain(`backend.path: "backend"  (${backendWhy})`);
    expect(r.stdout).toMatch(/backend\.packageManager: "pip" {2}\(requirements\.txt.* \(installed with uv pip\)\)/);
    const yaml = readFileSync(join(dir, "pipeline.yaml"), "utf8");
    expect(yaml).toContain(`packageManager: ${manager}`);
    expect(yaml).toContain("packageManager: pip");
    // yarn's own minimum Node (>=4, >=18.12) is not written down as the app's pin.
    expect(yaml).not.toMatch(/nodeVersion/);
  }, 60_000);

  it("passes fast-tests driven by that file alone: yarn through corepack, requirements through uv pip", async () => {
    const r = await runPipeline(["fast-tests", "--source", dir, "--report-dir", join(dir, "..", "reports")]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toMatch(/frontend\s+PASSED/);
    expect(r.stdout).toMatch(/backend\s+PASSED/);
    expect(r.stdout).toContain(`[frontend:install] $ ${install}`);
    expect(r.stdout).toMatch(/\[frontend:unit\] # pass 1/);
    expect(r.stdout).toContain("[backend:venv] $ uv venv --clear");
    expect(r.stdout).toContain(`[backend:install] $ uv pip install --python .venv/bin/python ${requirements}`);
    expect(r.stdout).toMatch(/\[backend:pytest\] .* 1 passed/);
  }, 600_000);

  it(`fails naming the ${fault.job} job when its test is broken`, async () => {
    breakTest(join(dir, fault.file), fault.from, fault.to);
    const r = await runPipeline(["fast-tests", "--source", dir, "--report-dir", join(dir, "..", "reports")]);
    expect(r.exitCode, r.output).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`${fault.job}\\s+FAILED\\s+.*step ${fault.step}: exit 1`));
    expect(r.stdout).toMatch(/(frontend|backend)\s+PASSED/);
  }, 600_000);
});
