import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReport, reportedTests } from "../../../../ci/src/plan/e2e/playwrightReport";
import { runPipeline } from "../../../support/cli";

const EXAMPLE = resolve(import.meta.dirname, "../../../../examples/yarn-berry");
const LOCKS = resolve(import.meta.dirname, "../../../fixtures/lockfiles/yarn-berry");
const SKIP = new Set(["node_modules", ".venv", ".yarn", ".pnp.cjs", ".pnp.loader.mjs", "__pycache__", "pipeline.yaml"]);
const SHA = "2222222222222222222222222222222222222222";

/** Debian's Chromium, as the example app's config takes it; never a downloaded browser. */
const CONFIG = `import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "e2e",
  retries: process.env.CI ? 1 : 0,
  use: {
    baseURL: process.env.BASE_URL,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
});
`;

const SPECS = {
  "home.spec.ts": `import { expect, test } from "@playwright/test";

test("home shows the orders heading @smoke", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Orders" })).toBeVisible();
});
`,
  "health.spec.ts": `import { expect, test } from "@playwright/test";

test("the API answers its health check", async ({ request }) => {
  const r = await request.get(\`\${process.env.API_URL}/api/v1/health\`);
  expect(await r.json()).toEqual({ status: "ok" });
});
`,
};

/**
 * examples/yarn-berry (yarn 4 with Plug'n'Play, so no node_modules/.bin; a requirements-file backend) with
 * @playwright/test added by yarn itself (test/fixtures/lockfiles/yarn-berry) and two specs.
 */
function berryWithPlaywright(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "e2e-berry-")), "yarn-berry");
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !SKIP.has(basename(src)) });
  for (const f of ["package.json", "yarn.lock"]) cpSync(join(LOCKS, f), join(dir, "frontend", f));
  writeFileSync(join(dir, "frontend/playwright.config.ts"), CONFIG);
  mkdirSync(join(dir, "frontend/e2e"));
  for (const [name, text] of Object.entries(SPECS)) writeFileSync(join(dir, "frontend/e2e", name), text);
  return dir;
}

/** The deployed app, as far as the specs look: a page with the heading, and the API's health. */
async function startApp(): Promise<{ url: string; close(): void }> {
  const server: Server = createServer((req, res) =>
    req.url === "/api/v1/health"
      ? res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}')
      : res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>shop</title><h1>Orders</h1>"),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/**
 * `npm run pipeline -- end-to-end` on a yarn berry (Plug'n'Play) + requirements repository, on the real tools:
 * corepack's yarn 4.9.2, Playwright through `yarn run` on Debian's Chromium, uv venv and uv pip for the backend E2E.
 */
describe("end-to-end on a yarn berry (Plug'n'Play) + requirements repository", () => {
  let dir: string;
  let app: { url: string; close(): void };
  beforeAll(async () => {
    dir = berryWithPlaywright();
    app = await startApp();
  });
  afterAll(() => {
    app?.close();
    if (dir) rmSync(join(dir, ".."), { recursive: true, force: true });
  }, 60_000);

  const run = (state: string) =>
    runPipeline([
      ...["end-to-end", "--source", dir, "--base-url", app.url, "--api-url", app.url, "--shards", "2"],
      ...["--suite", "full", "--state-dir", state, "--commit", SHA, "--record", "local"],
    ]);

  it("installs and runs Playwright with yarn, the backend E2E with uv pip, into one merged report", async () => {
    const state = join(dir, "..", "state");
    const r = await run(state);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toContain("$ corepack yarn install --immutable");
    expect(r.stdout).toMatch(/\$ corepack yarn run playwright test .*--shard=1\/2 --reporter=blob/);
    expect(r.stdout).toContain("$ corepack yarn run playwright merge-reports --config .");
    expect(r.stdout).toContain("$ uv venv --clear");
    expect(r.stdout).toContain("$ uv pip install --python .venv/bin/python -r requirements.txt");
    expect(r.stdout).toMatch(/\$ \.venv\/bin\/python -m pytest -m e2e --junitxml=e2e-junit\.xml/);
    // Plug'n'Play: yarn installed no node_modules, only its install state and .pnp.cjs.
    expect(() => readFileSync(join(dir, "frontend/.yarn/install-state.gz"))).not.toThrow();
    expect(() => readFileSync(join(dir, "frontend/node_modules/.bin/playwright"))).toThrow();
    const merged = parseReport(readFileSync(join(state, "e2e-report/results.json"), "utf8"));
    expect(
      reportedTests(merged)
        .map((t) => `${t.file} › ${t.title}`)
        .sort(),
    ).toEqual([
      "health.spec.ts › the API answers its health check",
      "home.spec.ts › home shows the orders heading @smoke",
    ]);
    expect(r.stdout).toMatch(/playwright: 2 passed, 0 failed/);
  }, 300_000);

  it("is red, naming the failed test, when a spec no longer holds (the install is reused)", async () => {
    const spec = join(dir, "frontend/e2e/home.spec.ts");
    writeFileSync(spec, readFileSync(spec, "utf8").replace('name: "Orders"', 'name: "Invoices"'));
    const r = await run(join(dir, "..", "state-red"));
    expect(r.exitCode, r.output).toBe(1);
    expect(r.stdout).not.toContain("$ corepack yarn install --immutable");
    expect(r.stdout).toMatch(/e2e \(full\): FAILED/);
    expect(r.stdout).toMatch(/playwright: 1 passed, 1 failed/);
    expect(r.output).toContain("home shows the orders heading @smoke");
  }, 300_000);
});
