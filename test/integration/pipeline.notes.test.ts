import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPipeline } from "../support/cli";

const NOTES = resolve(import.meta.dirname, "../../examples/notes");
const SKIP = new Set(["node_modules", ".venv", "coverage", "__pycache__", ".pytest_cache", "pipeline.yaml"]);

/**
 * A third repository unlike the other two (examples/notes: pnpm through corepack with a pnpm-lock.yaml, vitest,
 * Node 22 in .nvmrc above the host's Node 20, Poetry with a src/ layout and a poetry.lock), driven by the
 * pipeline.yaml that `init` wrote, on the real tools: Node from the registry, corepack's pnpm, Poetry through uv.
 */
describe("init, then fast-tests on a third repository (examples/notes)", () => {
  let dir: string;
  beforeAll(() => {
    dir = join(mkdtempSync(join(tmpdir(), "notes-")), "notes");
    cpSync(NOTES, dir, { recursive: true, filter: (src) => !SKIP.has(basename(src)) });
  });
  afterAll(() => rmSync(join(dir, ".."), { recursive: true, force: true }), 180_000);

  it("init finds pnpm, Poetry and the Node pin, and says why", async () => {
    const r = await runPipeline(["init", "--source", dir]);
    expect(r.exitCode, r.output).toBe(0);
    const yaml = readFileSync(join(dir, "pipeline.yaml"), "utf8");
    expect(yaml).toMatch(/packageManager: pnpm/);
    expect(yaml).toMatch(/packageManager: poetry/);
    expect(yaml).toMatch(/nodeVersion: "?22"?/);
  }, 60_000);

  it("passes fast-tests driven by that file alone, naming Node 22 provisioned, pnpm and poetry", async () => {
    const r = await runPipeline(["fast-tests", "--source", dir]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toMatch(/frontend\s+PASSED/);
    expect(r.stdout).toMatch(/backend\s+PASSED/);
    expect(r.stdout).toMatch(/node 22\.\d+\.\d+ for frontend: .*this machine has node 20\.[\d.]+; provisioned/);
    expect(r.stdout).toMatch(/\[frontend:install\] \$ corepack pnpm install --frozen-lockfile/);
    expect(r.stdout).toMatch(/\[backend:install\] \$ uv tool run --from poetry==[\d.]+ poetry install --no-root/);
    expect(r.stdout).toMatch(/install-root [\d.]+s → pytest/);
    expect(r.stdout).toMatch(/test_store\.py \.+/);
  }, 900_000);

  it("fails naming the frontend job when one of its unit tests fails", async () => {
    expect(existsSync(join(dir, "pipeline.yaml"))).toBe(true);
    writeFileSync(
      join(dir, "frontend/test/injected.test.ts"),
      'import { expect, it } from "vitest";\n\nit("injected failure", () => expect(1).toBe(2));\n',
    );
    const r = await runPipeline(["fast-tests", "--source", dir]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/frontend\s+FAILED\s+.*step unit: exit 1/);
    expect(r.output).toMatch(/injected failure/);
  }, 600_000);
});
