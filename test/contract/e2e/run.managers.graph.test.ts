import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execsOf, ranContainers, recordCall, startStaging, type RecordedCall } from "../../support/e2eRecording";
import { shape } from "../../support/graph";

const NOTES = resolve(import.meta.dirname, "../../../examples/notes");
const LOCKS = resolve(import.meta.dirname, "../../fixtures/lockfiles/pnpm");
const SKIP = new Set(["node_modules", ".venv", "__pycache__", ".next"]);
const POETRY = "uv tool run --from poetry==2.5.1 poetry";

/**
 * examples/notes (pnpm + Poetry, a src/ layout) with @playwright/test added by pnpm itself (test/fixtures/lockfiles),
 * and one spec file: a repository whose E2E has never seen npm or uv.
 */
function notesWithPlaywright(): string {
  const dir = mkdtempSync(join(tmpdir(), "e2e-notes-"));
  cpSync(NOTES, dir, { recursive: true, filter: (src) => !SKIP.has(basename(src)) });
  for (const f of ["package.json", "pnpm-lock.yaml"]) cpSync(join(LOCKS, f), join(dir, "frontend", f));
  mkdirSync(join(dir, "frontend/e2e"));
  writeFileSync(join(dir, "frontend/e2e/home.spec.ts"), 'import { test } from "@playwright/test";\n');
  return dir;
}

/**
 * The Dagger path of `end-to-end` on a pnpm + Poetry repository, recorded with the real SDK client and no engine: the
 * image is the one pnpm-lock.yaml's @playwright/test names, and each container installs and runs with pnpm and Poetry.
 */
describe("end-to-end container graph on pnpm + Poetry (recorded GraphQL requests)", () => {
  let staging: { url: string; close(): void };
  let source: string;
  let call: RecordedCall;

  beforeAll(async () => {
    staging = await startStaging();
    source = notesWithPlaywright();
    call = await recordCall("endToEnd", (dag) => ({
      source: dag.host().directory(source),
      baseUrl: staging.url,
      apiUrl: staging.url,
      suite: "full",
      shards: 1,
      readyAttempts: 1,
      readyInterval: 0,
    }));
  }, 120_000);
  afterAll(() => {
    staging?.close();
    if (source) rmSync(source, { recursive: true, force: true });
  });

  const frontendBase = () => [
    "from mcr.microsoft.com/playwright:v1.65.1-noble",
    "cache /root/.cache/node/corepack autoauthor-corepack",
    "cache /root/.local/share/pnpm/store autoauthor-pnpm-store",
    "env COREPACK_ENABLE_DOWNLOAD_PROMPT=0",
    "env NEXT_TELEMETRY_DISABLED=1",
    "env CI=true",
    `env BASE_URL=${staging.url}`,
    `env API_URL=${staging.url}`,
    "workdir /src/frontend",
    "file /src/frontend/package.json",
    "file /src/frontend/pnpm-lock.yaml",
    "exec corepack pnpm install --frozen-lockfile",
    "dir /src/frontend",
  ];

  it("runs to the end", async () => {
    await expect(call.outcome).resolves.toBeDefined();
  });

  it("runs the shard with pnpm's install and caches, and Playwright through `pnpm exec`, exactly so", () => {
    const shards = ranContainers(call.rec).filter((c) => execsOf(c).some((a) => a.includes("--reporter=blob")));
    expect(shards.map(shape)).toEqual([
      [
        ...frontendBase(),
        "env PIPELINE_RUN_ID=<run>",
        "env PLAYWRIGHT_BLOB_OUTPUT_DIR=.e2e/blob-1",
        "env PLAYWRIGHT_BLOB_OUTPUT_NAME=report-1.zip",
        "exec corepack pnpm exec playwright test --shard=1/1 --reporter=blob --output=.e2e/results-1 --pass-with-no-tests (expect ANY)",
      ],
    ]);
  });

  it("merges with `pnpm exec playwright merge-reports`", () => {
    const merge = call.rec.chains
      .filter((ch) => ch.at(-1)?.field === "exitCode")
      .map((ch) => shape(ch))
      .find((s) => s.some((l) => l.includes("merge-reports")));
    expect(merge?.slice(0, frontendBase().length)).toEqual(frontendBase());
    expect(merge?.at(-1)).toBe(
      "exec corepack pnpm exec playwright merge-reports --config . --reporter=html,json,junit .e2e/blobs (expect ANY)",
    );
  });

  it("installs the backend with Poetry from pyproject.toml and poetry.lock, then its root package, then pytest", () => {
    const backend = ranContainers(call.rec).filter((c) => execsOf(c).some((a) => a.includes("pytest")));
    expect(backend).toHaveLength(1);
    const got = shape(backend[0]);
    expect(got.filter((l) => /^(cache|file|exec) /.test(l))).toEqual([
      "cache /root/.cache/uv autoauthor-uv",
      "cache /root/.cache/pypoetry autoauthor-poetry",
      "file /src/backend/pyproject.toml",
      "file /src/backend/poetry.lock",
      `exec ${POETRY} install --no-root`,
      `exec ${POETRY} install --only-root`,
      `exec ${POETRY} run pytest -m e2e --junitxml=e2e-junit.xml -p no:cacheprovider (expect ANY)`,
    ]);
    expect(got).toContain("env POETRY_VIRTUALENVS_IN_PROJECT=true");
  });
});
