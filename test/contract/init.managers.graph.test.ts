import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callCi, type CiFunction } from "../support/ciCall";
import { jobGraphs, shape, syncedContainers, type JobGraph } from "../support/graph";
import { startRecorder, type Recording } from "../support/recorder";

const EXAMPLES = resolve(import.meta.dirname, "../../examples");
const SKIP = new Set(["node_modules", ".venv", ".yarn", ".pnp.cjs", "__pycache__", "pipeline.yaml"]);
const POETRY = "uv tool run --from poetry==2.5.1 poetry";
const PYTEST_ARGS = "--cov-report=term-missing --cov-report=xml:coverage.xml --cov-fail-under=85 --junitxml=junit.xml";

/** Record one Ci call against a fresh recorder; return the recorded chains. */
async function record(name: CiFunction, dir: string): Promise<Recording> {
  const rec = await startRecorder();
  const saved = { ...process.env };
  Object.assign(process.env, rec.env);
  try {
    const { connection, dag } = await import("@dagger.io/dagger");
    await connection(async () => {
      const args = { source: dag.host().directory(dir), ...(name === "fastTests" ? { config: "pipeline.yaml" } : {}) };
      const out = await callCi<unknown>(name, args);
      // A returned File is lazy: the CLI's `export` evaluates it; here a leaf query does.
      if (out && typeof (out as { contents?: unknown }).contents === "function") {
        await (out as import("@dagger.io/dagger").File).contents();
      }
    });
    return rec;
  } finally {
    process.env = saved;
    await rec.close();
  }
}

/** What one repository's frontend and backend containers must be, written out (not read from the plan). */
interface Expected {
  example: string;
  /** How the test names the case. */
  label: string;
  /** Files taken out of the copy first. */
  remove?: string[];
  /** Files written into the copy first. */
  write?: Record<string, string>;
  frontend: { image: string; caches: string[]; env: Record<string, string>; files: string[]; execs: string[] };
  backend: { caches: string[]; env: Record<string, string>; files: string[]; execs: string[] };
}

const CASES: Expected[] = [
  {
    example: "notes",
    label: "examples/notes (pnpm, Poetry)",
    frontend: {
      image: "node:22-bookworm-slim",
      caches: ["/root/.cache/node/corepack autoauthor-corepack", "/root/.local/share/pnpm/store autoauthor-pnpm-store"],
      env: { COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" },
      files: ["package.json", "pnpm-lock.yaml"],
      execs: [
        "corepack pnpm install --frozen-lockfile",
        "corepack pnpm run lint",
        // vitest gets the cores the step is given (plan/fastTests/workers.ts), this machine's count.
        "corepack pnpm run test:coverage --maxWorkers=N",
        "corepack pnpm run typecheck",
      ],
    },
    backend: {
      caches: ["/root/.cache/uv autoauthor-uv", "/root/.cache/pypoetry autoauthor-poetry"],
      env: { POETRY_VIRTUALENVS_IN_PROJECT: "true", POETRY_NO_INTERACTION: "1" },
      files: ["pyproject.toml", "poetry.lock"],
      execs: [
        `${POETRY} install --no-root`,
        `${POETRY} install --only-root`,
        `${POETRY} run pytest --cov=notes ${PYTEST_ARGS}`,
      ],
    },
  },
  {
    example: "yarn-classic",
    label: "examples/yarn-classic (yarn 1, requirements files)",
    frontend: {
      image: "node:20-bookworm-slim",
      caches: ["/root/.cache/node/corepack autoauthor-corepack", "/usr/local/share/.cache/yarn autoauthor-yarn"],
      env: { COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" },
      files: ["package.json", "yarn.lock"],
      execs: ["corepack yarn install --frozen-lockfile", "corepack yarn run test", "corepack yarn run typecheck"],
    },
    backend: {
      caches: ["/root/.cache/uv autoauthor-uv"],
      env: { MONGODB_URL: "mongodb://mongo:27017/autoauthor_test" },
      files: ["requirements.txt", "requirements-dev.txt"],
      execs: [
        "uv venv --clear",
        "uv pip install --python .venv/bin/python -r requirements.txt -r requirements-dev.txt",
        `.venv/bin/python -m pytest --cov=app ${PYTEST_ARGS}`,
      ],
    },
  },
  {
    example: "yarn-berry",
    label: "examples/yarn-berry (yarn 4, requirements.txt including another)",
    frontend: {
      image: "node:20-bookworm-slim",
      caches: ["/root/.cache/node/corepack autoauthor-corepack", "/root/.yarn/berry/cache autoauthor-yarn-berry"],
      // corepack takes berry from the npm registry's @yarnpkg/cli-dist, not repo.yarnpkg.com.
      env: { COREPACK_ENABLE_DOWNLOAD_PROMPT: "0", COREPACK_NPM_REGISTRY: "https://registry.npmjs.org" },
      files: ["package.json", "yarn.lock", ".yarnrc.yml"],
      execs: ["corepack yarn install --immutable", "corepack yarn run test", "corepack yarn run typecheck"],
    },
    backend: {
      caches: ["/root/.cache/uv autoauthor-uv"],
      env: { MONGODB_URI: "mongodb://mongo:27017/autoauthor_test" },
      // requirements.txt says `-r requirements/common.txt`: that file is copied before the install too.
      files: ["requirements.txt", "requirements/common.txt"],
      execs: [
        "uv venv --clear",
        "uv pip install --python .venv/bin/python -r requirements.txt",
        `.venv/bin/python -m pytest -m not e2e --cov=orders ${PYTEST_ARGS}`,
      ],
    },
  },
];
// A berry repository with no .yarnrc.yml (corepack and berry's defaults): nothing is copied in its place.
const berry = CASES[2];
CASES.push({
  ...berry,
  label: "examples/yarn-berry without .yarnrc.yml",
  remove: ["frontend/.yarnrc.yml"],
  frontend: { ...berry.frontend, files: ["package.json", "yarn.lock"] },
});

// A berry repository that commits its yarn release and names it in .yarnrc.yml's yarnPath (yarn runs that file).
const RELEASE = ".yarn/releases/yarn-4.9.2.cjs";
CASES.push({
  ...berry,
  label: "examples/yarn-berry with a committed release in yarnPath",
  write: {
    "frontend/.yarnrc.yml": `enableTelemetry: false\nyarnPath: ${RELEASE}\n`,
    [`frontend/${RELEASE}`]: "// yarn\n",
  },
  frontend: { ...berry.frontend, files: ["package.json", "yarn.lock", ".yarnrc.yml", RELEASE] },
});

/** The lines of a shape that start with `prefix`, without it. */
const linesOf = (lines: string[], prefix: string) =>
  lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));

/**
 * pnpm, yarn classic, yarn berry, Poetry and requirements files on the Dagger path: `init` writes each repository's
 * pipeline.yaml from the files the engine lists, and `fastTests` driven by that file alone asks for the image, the
 * corepack / Poetry / uv pip commands, the cache volumes and the lockfiles copied before the install that the
 * repository needs. A recording of requests (test/support/recorder.ts), not an engine.
 */
describe.each(CASES)("init, then fast-tests on $label (recorded GraphQL requests)", (want) => {
  let dir: string;
  let graphs: JobGraph[];
  let chains: string[][];

  beforeAll(async () => {
    dir = join(mkdtempSync(join(tmpdir(), `${want.example}-`)), want.example);
    cpSync(join(EXAMPLES, want.example), dir, { recursive: true, filter: (src) => !SKIP.has(basename(src)) });
    for (const f of want.remove ?? []) rmSync(join(dir, f));
    for (const [f, text] of Object.entries(want.write ?? {})) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), text);
    }
    const init = await record("init", dir);
    const written = init.chains.flat().find((c) => c.field === "withNewFile" && c.args.path === "pipeline.yaml");
    writeFileSync(join(dir, "pipeline.yaml"), String(written?.args.contents ?? ""));
    const run = await record("fastTests", dir);
    graphs = jobGraphs(run.chains);
    chains = syncedContainers(run.chains).map(shape);
  }, 120_000);
  afterAll(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

  const frontend = () => graphs.find((g) => g.image.startsWith("node:"));
  const backend = () => graphs.find((g) => g.services.length > 0);

  it("runs the frontend in the pinned Node's image through its manager, with its caches and corepack's env", () => {
    const fe = frontend();
    expect(fe?.image).toBe(want.frontend.image);
    expect(fe?.caches.map((c) => `${c.path} ${c.key}`)).toEqual([
      ...want.frontend.caches,
      "/src/frontend/.next/cache autoauthor-next-cache",
    ]);
    expect(fe?.env).toMatchObject(want.frontend.env);
    if (!want.frontend.env.COREPACK_NPM_REGISTRY) expect(fe?.env).not.toHaveProperty("COREPACK_NPM_REGISTRY");
    expect(fe?.execs.map((a) => a.join(" ").replace(/--maxWorkers=\d+$/, "--maxWorkers=N"))).toEqual(
      want.frontend.execs,
    );
  });

  it("installs the backend with its manager, caches its downloads, and runs pytest from what it installed", () => {
    const be = backend();
    expect(be?.image).toBe("ghcr.io/astral-sh/uv:0.13.9-python3.12-trixie-slim");
    expect(be?.caches.map((c) => `${c.path} ${c.key}`)).toEqual(want.backend.caches);
    expect(be?.env).toMatchObject(want.backend.env);
    expect(be?.execs.map((a) => a.join(" "))).toEqual(want.backend.execs);
  });

  it("copies exactly the manager's manifests before the first install exec, and the source only after it", () => {
    for (const [image, files] of [
      [want.frontend.image, want.frontend.files.map((f) => `/src/frontend/${f}`)],
      ["ghcr.io/astral-sh/uv:0.13.9-python3.12-trixie-slim", want.backend.files.map((f) => `/src/backend/${f}`)],
    ] as const) {
      for (const lines of chains.filter((c) => c[0] === `from ${image}`)) {
        const firstExec = lines.findIndex((l) => l.startsWith("exec "));
        expect(linesOf(lines.slice(0, firstExec), "file ")).toEqual(files);
        expect(lines.slice(0, firstExec + 1).some((l) => l.startsWith("dir "))).toBe(false);
      }
    }
  });
});
