import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../ci/src/plan/config/error";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { planBackendJob } from "../../../../ci/src/plan/fastTests/backend";
import { planFrontendJob } from "../../../../ci/src/plan/fastTests/frontend";
import { POETRY_VERSION } from "../../../../ci/src/plan/toolchain/python";

const pnpmRepo = {
  frontend: {
    nvmrc: "24\n",
    packageJson: JSON.stringify({ packageManager: "pnpm@10.34.8" }),
    lockfiles: ["pnpm" as const],
  },
  backendFiles: ["poetry.lock"],
  pyproject: '[project]\nname = "shelf"\n',
};

describe("frontendFromRepo (through parseConfig)", () => {
  it("takes the Node pin and pnpm from the repository where pipeline.yaml is silent, saying why", () => {
    const c = parseConfig(undefined, "pipeline.yaml", pnpmRepo);
    expect(c.frontend.nodePin).toEqual({ range: "24", why: ".nvmrc says 24" });
    expect(c.frontend.image).toBe("node:24-bookworm-slim");
    expect(c.detected).toContain("frontend.nodeVersion: 24 (.nvmrc says 24; image node:24)");
    expect(c.detected).toContain(
      "frontend.packageManager: pnpm (package.json packageManager pnpm@10.34.8 and pnpm-lock.yaml)",
    );
    const job = planFrontendJob(c);
    expect(job.manifests).toEqual(["package.json", "pnpm-lock.yaml"]);
    expect(job.install[0].argv).toEqual(["corepack", "pnpm", "install", "--frozen-lockfile"]);
    expect(job.steps.map((s) => s.argv.join(" "))).toEqual([
      "corepack pnpm run lint",
      "corepack pnpm run typecheck",
      "corepack pnpm run test:coverage",
      "corepack pnpm run build",
    ]);
    expect(job.env.COREPACK_ENABLE_DOWNLOAD_PROMPT).toBe("0");
    expect(job.tools.find((t) => t.bin === "node")?.range).toEqual({ range: "24", why: ".nvmrc says 24" });
    expect(job.tools.map((t) => t.bin)).toContain("corepack");
  });

  it("lets pipeline.yaml's nodeVersion, packageManager, install and steps win over the repository", () => {
    const yaml = "frontend:\n  nodeVersion: '22'\n  packageManager: yarn-berry\n  steps: { unit: yarn test }\n";
    const c = parseConfig(yaml, "pipeline.yaml", pnpmRepo);
    expect(c.frontend.nodePin).toEqual({ range: "22", why: 'pipeline.yaml frontend.nodeVersion "22"' });
    expect(c.frontend.image).toBe("node:22-bookworm-slim");
    const job = planFrontendJob(c);
    expect(job.install[0].argv).toEqual(["corepack", "yarn", "install", "--immutable"]);
    expect(job.steps).toEqual([{ name: "unit", argv: ["yarn", "test"] }]);
    expect(job.manifests).toEqual(["package.json", "yarn.lock", ".yarnrc.yml"]);
  });

  it("copies no .yarnrc.yml before a berry install when the repository has none", () => {
    const berry = { packageJson: JSON.stringify({ packageManager: "yarn@4.9.2" }), lockfiles: ["yarn" as const] };
    const without = planFrontendJob(parseConfig(undefined, "pipeline.yaml", { frontend: { ...berry, yarnrc: false } }));
    expect(without.manifests).toEqual(["package.json", "yarn.lock"]);
    const withIt = planFrontendJob(parseConfig(undefined, "pipeline.yaml", { frontend: { ...berry, yarnrc: true } }));
    expect(withIt.manifests).toEqual(["package.json", "yarn.lock", ".yarnrc.yml"]);
  });

  it("keeps node:20 for a repository whose only pin is its manager's minimum (yarn 1 runs on Node >=4)", () => {
    const packageJson = JSON.stringify({ packageManager: "yarn@1.22.22" });
    const c = parseConfig(undefined, "pipeline.yaml", { frontend: { packageJson, lockfiles: ["yarn"] } });
    expect(c.frontend.image).toBe("node:20-bookworm-slim");
    expect(c.frontend.nodePin.range).toBe(">=4");
    expect(c.detected).toContain(
      "frontend.nodeVersion: >=4 (package.json packageManager yarn@1.22.22 needs Node >=4; image node:20)",
    );
  });

  it("keeps npm, node:20 and a >=20 host check for a repository that pins nothing", () => {
    const c = parseConfig(undefined, "pipeline.yaml", { frontend: { lockfiles: ["npm"] } });
    const job = planFrontendJob(c);
    expect(job.image).toBe("node:20-bookworm-slim");
    expect(job.install[0].argv).toEqual(["npm", "ci"]);
    expect(job.tools.find((t) => t.bin === "node")?.range?.range).toBe(">=20");
    expect(c.detected).toBeUndefined();
  });
});

describe("frontendFromRepo: pins that cannot be used (exit 2 before any command)", () => {
  const repo = (frontend: { nvmrc?: string; packageJson?: string; lockfiles?: ("npm" | "pnpm" | "yarn")[] }) => ({
    frontend: { lockfiles: [], ...frontend },
  });
  const pkg = (o: object) => JSON.stringify({ name: "fe", ...o });

  it.each([
    ["pnpm@latest", "pnpm"],
    ["yarn@../../x", "yarn"],
    ["npm@1.0.0+sha512.<bad>", "npm"],
    ["yarn@https://evil.example/yarn.js", "yarn"],
    ["pnpm@10", "pnpm"],
    ["pnpm@10.12.1 ; id", "pnpm"],
  ] as const)("refuses packageManager %j (corepack would refuse it only after the install started)", (field, lock) => {
    const facts = repo({ packageJson: pkg({ packageManager: field }), lockfiles: [lock] });
    expect(() => parseConfig(undefined, "pipeline.yaml", facts)).toThrow(ConfigError);
    expect(() => parseConfig(undefined, "pipeline.yaml", facts)).toThrow(
      /frontend\/package\.json: `packageManager` .* is not a manager and its exact version\. Fix: pin one, like "pnpm@10\.12\.1"/,
    );
  });

  it.each(["pnpm@10.12.1", "yarn@4.9.2+sha512.0123abcdef", "yarn@1.22.22", "npm@10.9.2", "pnpm@9.0.0-rc.1"])(
    "takes packageManager %j",
    (field) => {
      expect(() =>
        parseConfig(undefined, "pipeline.yaml", repo({ packageJson: pkg({ packageManager: field }) })),
      ).not.toThrow();
    },
  );

  it.each([{ x: 1 }, 20, ["20"]])(
    "refuses engines.node %j that is not text, naming it (before: a TypeError)",
    (node) => {
      const facts = repo({ packageJson: pkg({ engines: { node } }) });
      expect(() => parseConfig(undefined, "pipeline.yaml", facts)).toThrow(ConfigError);
      expect(() => parseConfig(undefined, "pipeline.yaml", facts)).toThrow(
        /frontend\/package\.json: `engines\.node` must be a version range/,
      );
    },
  );

  it.each([
    [{ nvmrc: "16\n" }, /\.nvmrc says 16/],
    [{ nvmrc: "v99\n" }, /\.nvmrc says v99/],
    [{ packageJson: pkg({ engines: { node: "99" } }) }, /engines\.node "99"/],
    [{ packageJson: pkg({ engines: { node: "<18" } }) }, /engines\.node "<18"/],
  ])(
    "refuses a Node pin %j that no Node this pipeline runs satisfies (before: node 20 ran, said to be unpinned)",
    (f, why) => {
      const facts = repo(f);
      expect(() => parseConfig(undefined, "pipeline.yaml", facts)).toThrow(ConfigError);
      expect(() => parseConfig(undefined, "pipeline.yaml", facts)).toThrow(why);
      expect(() => parseConfig(undefined, "pipeline.yaml", facts)).toThrow(
        /allows none of Node 18, 20, 22, 24.*Fix: .*frontend\.nodeVersion/,
      );
      expect(() => parseConfig('frontend:\n  nodeVersion: "16"\n', "pipeline.yaml", facts)).not.toThrow();
    },
  );

  it.each(["lts/*", "node", "../../etc/passwd", "$(touch /tmp/x)", "*"])(
    "takes .nvmrc %j as no pin (an alias or text that is no version: the default Node)",
    (nvmrc) => {
      expect(parseConfig(undefined, "pipeline.yaml", repo({ nvmrc })).frontend.image).toBe("node:20-bookworm-slim");
    },
  );
});

describe("frontendFromRepo: a yarn berry release outside the frontend", () => {
  const berry = (yarnrcText: string) => ({
    frontend: {
      packageJson: JSON.stringify({ packageManager: "yarn@4.9.2" }),
      lockfiles: ["yarn" as const],
      yarnrc: true,
      yarnrcText,
    },
  });

  it.each(["../../evil.cjs", "/tmp/evil.cjs", "./../x/yarn.cjs", '"~/yarn.cjs"', ".yarn/../../x.cjs"])(
    "refuses yarnPath %s, which yarn would run as yarn (before: the host ran it, the container had none)",
    (path) => {
      const facts = berry(`yarnPath: ${path}\n`);
      expect(() => parseConfig(undefined, "pipeline.yaml", facts)).toThrow(ConfigError);
      expect(() => parseConfig(undefined, "pipeline.yaml", facts)).toThrow(
        /frontend\/\.yarnrc\.yml: `yarnPath` is ".*", outside the frontend.*Fix: commit the release in the frontend/,
      );
    },
  );

  it("takes a release under the frontend", () => {
    const c = parseConfig(undefined, "pipeline.yaml", berry("yarnPath: .yarn/releases/yarn-4.9.2.cjs\n"));
    expect(c.frontend.yarnPath).toBe(".yarn/releases/yarn-4.9.2.cjs");
  });
});

describe("backendManagerFromRepo (through parseConfig)", () => {
  const poetry = ["uv", "tool", "run", "--from", `poetry==${POETRY_VERSION}`, "poetry"];

  it("plans Poetry from poetry.lock: deps before the source, the root package after, pytest through poetry run", () => {
    const c = parseConfig(undefined, "pipeline.yaml", pnpmRepo);
    expect(c.detected).toContain("backend.packageManager: poetry (poetry.lock)");
    const job = planBackendJob(c);
    expect(job.manifests).toEqual(["pyproject.toml", "poetry.lock"]);
    expect(job.install).toEqual([{ name: "install", argv: [...poetry, "install", "--no-root"] }]);
    expect(job.steps[0]).toEqual({ name: "install-root", argv: [...poetry, "install", "--only-root"] });
    expect(job.steps[1].argv.slice(0, poetry.length + 2)).toEqual([...poetry, "run", "pytest"]);
    // A src/ layout's package is importable only once the root is installed: pytest must not start beside it.
    expect(job.steps[1].after).toEqual(["install-root"]);
    expect(job.env).toMatchObject({ POETRY_VIRTUALENVS_IN_PROJECT: "true", UV_PYTHON: "3.12" });
  });

  it("plans requirements files as a .venv that uv pip fills", () => {
    const c = parseConfig(undefined, "pipeline.yaml", { backendFiles: ["requirements.txt", "requirements-test.txt"] });
    const job = planBackendJob(c);
    expect(job.install.map((s) => s.argv.join(" "))).toEqual([
      "uv venv --clear",
      "uv pip install --python .venv/bin/python -r requirements.txt -r requirements-test.txt",
    ]);
    expect(job.steps[0].argv.slice(0, 3)).toEqual([".venv/bin/python", "-m", "pytest"]);
    expect(job.manifests).toEqual(["requirements.txt", "requirements-test.txt"]);
  });

  it("keeps uv sync for uv.lock", () => {
    const job = planBackendJob(parseConfig(undefined, "pipeline.yaml", { backendFiles: ["uv.lock"] }));
    expect(job.install[0].argv).toEqual(["uv", "sync", "--frozen"]);
  });
});
