import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../../../ci/src/plan/config/defaults";
import { toArgv } from "../../../../ci/src/plan/config/command";
import { ConfigError } from "../../../../ci/src/plan/config/error";
import { parseConfig } from "../../../../ci/src/plan/config/parse";

describe("parseConfig", () => {
  it("returns the Auto-Author defaults when there is no file", () => {
    expect(parseConfig(undefined)).toEqual(defaultConfig());
    expect(parseConfig("# only a comment\n")).toEqual(defaultConfig());
  });

  it("merges a partial file over the defaults", () => {
    const c = parseConfig("frontend:\n  path: web\nthresholds:\n  coverage: 90\n");
    expect(c.frontend.path).toBe("web");
    expect(c.frontend.steps).toEqual(defaultConfig().frontend.steps);
    expect(c.thresholds.coverage).toBe(90);
    expect(c.thresholds.fastTests).toEqual({ target: 5, alert: 7 });
  });

  it("replaces the step list whole, keeping the given order", () => {
    const c = parseConfig("frontend:\n  steps:\n    build: npm run build\n    lint: [npx, eslint, .]\n");
    expect(Object.entries(c.frontend.steps)).toEqual([
      ["build", "npm run build"],
      ["lint", ["npx", "eslint", "."]],
    ]);
  });

  it("derives the image from a changed node or python version", () => {
    const c = parseConfig("frontend:\n  nodeVersion: '22'\nbackend:\n  pythonVersion: '3.13'\n");
    expect(c.frontend.image).toBe("node:22-bookworm-slim");
    expect(c.backend.image).toMatch(/^ghcr\.io\/astral-sh\/uv:[\d.]+-python3\.13-trixie-slim$/);
  });

  it("rejects an unknown key with the file, the key and a suggestion", () => {
    expect(() => parseConfig("frontend:\n  lnit: x\n", "ci/pipeline.yaml")).toThrow(ConfigError);
    expect(() => parseConfig("frontend:\n  patth: web\n", "ci/pipeline.yaml")).toThrow(
      /ci\/pipeline\.yaml: `frontend\.patth` is not a known key\. Fix: use one of: .*\(did you mean `path`\?\)/,
    );
  });

  it("rejects a wrong type and shows how to write it", () => {
    expect(() => parseConfig("thresholds:\n  coverage: high\n")).toThrow(
      /`thresholds\.coverage` must be a number\. Fix: write it like coverage: 85/,
    );
    expect(() => parseConfig("backend:\n  deselect: tests/x.py\n")).toThrow(
      /`backend\.deselect` must be a list of strings/,
    );
    expect(() => parseConfig("frontend: [1, 2]\n")).toThrow(/`frontend` must be a mapping/);
  });

  it("rejects values out of range", () => {
    expect(() => parseConfig("thresholds:\n  coverage: 185\n")).toThrow(
      /`thresholds\.coverage` is 185; it must be at most 100\. Fix: use a percentage from 0 to 100, such as 85/,
    );
    expect(() => parseConfig("thresholds:\n  deploy: { target: 5, alert: 2 }\n")).toThrow(/0 < target <= alert/);
    expect(() => parseConfig("services:\n  mongo:\n    port: 70000\n")).toThrow(/services\.mongo\.port/);
    expect(() => parseConfig("backend:\n  path: ../elsewhere\n")).toThrow(/outside the repository/);
  });

  it("names the file when the YAML does not parse", () => {
    expect(() => parseConfig("frontend:\n  path: [unclosed\n", "pipeline.yaml")).toThrow(
      /pipeline\.yaml: is not valid YAML/,
    );
  });
});

describe("toArgv", () => {
  it("splits a plain command on whitespace", () => {
    expect(toArgv("npm  run lint")).toEqual(["npm", "run", "lint"]);
  });

  it("keeps an argv list as it is", () => {
    expect(toArgv(["pytest", "-m", "not e2e"])).toEqual(["pytest", "-m", "not e2e"]);
  });

  it("refuses shell syntax, since steps run without a shell", () => {
    expect(() => toArgv("npm test && rm -rf /", "frontend.steps.unit")).toThrow(/uses shell syntax.*argv list/);
    expect(() => toArgv("", "frontend.install")).toThrow(ConfigError);
  });
});

describe("parseConfig deploy section", () => {
  it("defaults to keep 5 and 10 health attempts 5 s apart", () => {
    expect(parseConfig(undefined).deploy).toMatchObject({
      keep: 5,
      health: { attempts: 10, intervalSeconds: 5, failuresBeforeRollback: 3 },
    });
  });
  it("merges an override and rejects keep 0 naming the key", () => {
    expect(parseConfig("deploy:\n  health: { intervalSeconds: 0.5 }\n").deploy.health.intervalSeconds).toBe(0.5);
    expect(() => parseConfig("deploy:\n  keep: 0\n")).toThrow(
      /`deploy.keep` is 0; it must be at least 1\. Fix: use a whole number from 1 to 50, such as 5/,
    );
  });
});

describe("parseConfig e2e section", () => {
  it("defaults to 4 shards, @smoke, 30 attempts 10 s apart", () => {
    expect(parseConfig(undefined).e2e).toEqual({
      testDir: "e2e",
      shards: 4,
      smokeTag: "@smoke",
      readyAttempts: 30,
      readyIntervalSeconds: 10,
      healthPath: "/api/v1/health",
    });
  });

  it("merges an override and rejects bad values naming the key", () => {
    expect(parseConfig("e2e:\n  shards: 2\n  readyAttempts: 5\n").e2e).toMatchObject({
      shards: 2,
      readyAttempts: 5,
      smokeTag: "@smoke",
    });
    expect(() => parseConfig("e2e:\n  shards: 0\n")).toThrow(
      /`e2e.shards` is 0; it must be at least 1\. Fix: use a whole number from 1 to 64, such as 4/,
    );
    expect(() => parseConfig("e2e:\n  healthPath: health\n")).toThrow(/`e2e.healthPath`.*start it with \//);
    expect(() => parseConfig("e2e:\n  testDir: ../e2e\n")).toThrow(/`e2e.testDir`.*outside the frontend/);
    expect(() => parseConfig("e2e:\n  shardz: 2\n")).toThrow(/did you mean `shards`/);
  });
});

describe("parseConfig: services.mongo.env", () => {
  it("adds the variables a repository reads, as templates, keeping DATABASE_URI", () => {
    const c = parseConfig(
      'services:\n  mongo:\n    env:\n      TEST_MONGO_URI: "mongodb://{host}:{port}/{database}"\n      MONGODB_URI: "mongodb://{host}:{port}"\n',
    );
    expect(c.services.mongo.env).toEqual({
      DATABASE_URI: "mongodb://{host}:{port}/{database}",
      TEST_MONGO_URI: "mongodb://{host}:{port}/{database}",
      MONGODB_URI: "mongodb://{host}:{port}",
    });
  });

  it("rejects an unknown placeholder and a name that is no variable, naming the key", () => {
    expect(() => parseConfig('services:\n  mongo:\n    env:\n      URI: "mongodb://{hostname}:{port}"\n')).toThrow(
      /`services.mongo.env.URI` uses \{hostname\}\. Fix: use a template with \{host\}, \{port\} and \{database\} only/,
    );
    expect(() => parseConfig('services:\n  mongo:\n    env:\n      "MONGO-URI": "x"\n')).toThrow(ConfigError);
    expect(() => parseConfig("services:\n  mongo:\n    env: []\n")).toThrow(/must be a non-empty mapping/);
  });
});

describe("parseConfig: the repository's own files fill what pipeline.yaml leaves unset", () => {
  const facts = {
    pythonVersionFile: "3.13\n",
    pyproject: '[project]\nname="a"\n[project.optional-dependencies]\ntest=["pytest"]\n',
  };

  it("takes the Python version and the image from .python-version, and the test extra, saying why", () => {
    const c = parseConfig(undefined, "pipeline.yaml", facts);
    expect(c.backend.pythonVersion).toBe("3.13");
    expect(c.backend.image).toMatch(/^ghcr\.io\/astral-sh\/uv:[\d.]+-python3\.13-trixie-slim$/);
    expect(c.backend.extras).toEqual(["test"]);
    expect(c.detected).toEqual([
      "backend.pythonVersion: 3.13 (.python-version says 3.13)",
      "backend.extras: test (pyproject.toml [project.optional-dependencies])",
    ]);
  });

  it("never overrides what pipeline.yaml says", () => {
    const c = parseConfig('backend:\n  pythonVersion: "3.12"\n  extras: []\n', "pipeline.yaml", facts);
    expect(c.backend.pythonVersion).toBe("3.12");
    expect(c.backend.extras).toEqual([]);
    expect(c.detected).toBeUndefined();
  });
});
