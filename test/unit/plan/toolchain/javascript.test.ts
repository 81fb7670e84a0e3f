import { describe, expect, it } from "vitest";
import {
  detectJsManager,
  jsCachePaths,
  jsEnv,
  jsExec,
  jsInstall,
  jsInstallMarker,
  jsManifests,
  jsRun,
  yarnPathOf,
} from "../../../../ci/src/plan/toolchain/javascript";

const pkg = (packageManager?: string) => JSON.stringify(packageManager ? { packageManager } : {});

describe("detectJsManager", () => {
  it("follows packageManager first, as corepack does, telling yarn berry from classic by its major", () => {
    expect(detectJsManager({ packageJson: pkg("pnpm@10.34.8"), lockfiles: ["pnpm"] })).toEqual({
      manager: "pnpm",
      berry: false,
      why: "package.json packageManager pnpm@10.34.8 and pnpm-lock.yaml",
    });
    expect(detectJsManager({ packageJson: pkg("yarn@4.9.1"), lockfiles: [] })).toMatchObject({
      manager: "yarn",
      berry: true,
    });
    expect(detectJsManager({ packageJson: pkg("yarn@1.22.22"), lockfiles: ["yarn"] })).toMatchObject({ berry: false });
  });

  it("names a hash-pinned packageManager by its version and algorithm", () => {
    const field = `yarn@4.9.2+sha512.${"1f".repeat(64)}`;
    expect(detectJsManager({ packageJson: pkg(field), lockfiles: ["yarn"] }).why).toBe(
      "package.json packageManager yarn@4.9.2 (+sha512 hash) and yarn.lock",
    );
  });

  it("reads the one lockfile when packageManager is absent; a berry yarn.lock starts with __metadata", () => {
    expect(detectJsManager({ lockfiles: ["pnpm"] })).toMatchObject({ manager: "pnpm", why: "pnpm-lock.yaml" });
    const berry = detectJsManager({ lockfiles: ["yarn"], yarnLock: "__metadata:\n  version: 8\n" });
    expect(berry).toEqual({ manager: "yarn", berry: true, why: "yarn.lock (berry: __metadata)" });
    const classic = detectJsManager({ lockfiles: ["yarn"], yarnLock: "# yarn lockfile v1\n" });
    expect(classic).toEqual({ manager: "yarn", berry: false, why: "yarn.lock (classic: lockfile v1)" });
  });

  it("stays with npm for package-lock.json, nothing, or an ambiguous pair of lockfiles", () => {
    expect(detectJsManager({ lockfiles: ["npm"] })).toEqual({ manager: "npm", berry: false, why: "package-lock.json" });
    expect(detectJsManager({ lockfiles: [] }).manager).toBe("npm");
    expect(detectJsManager({ lockfiles: ["pnpm", "yarn"] }).manager).toBe("npm");
  });
});

describe("jsEnv", () => {
  it("keeps corepack from prompting, and takes yarn berry from the npm registry, not repo.yarnpkg.com", () => {
    expect(jsEnv({ manager: "npm", berry: false })).toEqual({});
    expect(jsEnv({ manager: "pnpm", berry: false })).toEqual({ COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" });
    expect(jsEnv({ manager: "yarn", berry: false })).toEqual({ COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" });
    expect(jsEnv({ manager: "yarn", berry: true })).toEqual({
      COREPACK_ENABLE_DOWNLOAD_PROMPT: "0",
      COREPACK_NPM_REGISTRY: "https://registry.npmjs.org",
    });
  });
});

describe("commands", () => {
  it("installs frozen to the lockfile with each manager, pnpm and yarn through corepack", () => {
    expect(jsInstall({ manager: "npm", berry: false })).toEqual(["npm", "ci"]);
    expect(jsInstall({ manager: "pnpm", berry: false })).toEqual(["corepack", "pnpm", "install", "--frozen-lockfile"]);
    expect(jsInstall({ manager: "yarn", berry: true })).toEqual(["corepack", "yarn", "install", "--immutable"]);
    expect(jsInstall({ manager: "yarn", berry: false })).toEqual(["corepack", "yarn", "install", "--frozen-lockfile"]);
    expect(jsRun("pnpm", "build")).toEqual(["corepack", "pnpm", "run", "build"]);
  });

  it("runs a dependency's binary without downloading it: npx --no-install, pnpm exec, yarn run", () => {
    expect(jsExec("npm", "tsc")).toEqual(["npx", "--no-install", "tsc"]);
    expect(jsExec("pnpm", "tsc")).toEqual(["corepack", "pnpm", "exec", "tsc"]);
    expect(jsExec("yarn", "tsc")).toEqual(["corepack", "yarn", "run", "tsc"]);
  });

  it("copies the manager's lockfile (and berry's .yarnrc.yml) first and caches its store", () => {
    expect(jsManifests({ manager: "pnpm", berry: false })).toEqual(["package.json", "pnpm-lock.yaml"]);
    expect(jsManifests({ manager: "yarn", berry: true })).toEqual(["package.json", "yarn.lock", ".yarnrc.yml"]);
    expect(jsCachePaths("pnpm", false).map((c) => c.path)).toEqual([
      "/root/.cache/node/corepack",
      "/root/.local/share/pnpm/store",
    ]);
    expect(jsCachePaths("npm", false)).toEqual([{ name: "npm", path: "/root/.npm" }]);
  });
});

describe("jsInstallMarker", () => {
  // Each seen written by the real install (pnpm 10.12.1, yarn 1.22.22, yarn 4.9.2 with Plug'n'Play) on a fixture copy.
  it("names the file each manager's install rewrites, berry's outside node_modules (Plug'n'Play has none)", () => {
    expect(jsInstallMarker({ manager: "npm", berry: false })).toBe("node_modules/.package-lock.json");
    expect(jsInstallMarker({ manager: "pnpm", berry: false })).toBe("node_modules/.modules.yaml");
    expect(jsInstallMarker({ manager: "yarn", berry: false })).toBe("node_modules/.yarn-integrity");
    expect(jsInstallMarker({ manager: "yarn", berry: true })).toBe(".yarn/install-state.gz");
  });
});

describe("yarnPathOf", () => {
  it("reads the committed release .yarnrc.yml names, and nothing outside the frontend", () => {
    expect(yarnPathOf("nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.9.2.cjs\n")).toBe(
      ".yarn/releases/yarn-4.9.2.cjs",
    );
    expect(yarnPathOf('yarnPath: "./.yarn/releases/yarn-3.8.7.cjs" # pinned\n')).toBe(".yarn/releases/yarn-3.8.7.cjs");
    expect(yarnPathOf("enableTelemetry: false\n")).toBeUndefined();
    expect(yarnPathOf("yarnPath: ../shared/yarn.cjs\n")).toBeUndefined();
    expect(yarnPathOf(undefined)).toBeUndefined();
  });

  it("is copied in after .yarnrc.yml, for berry only", () => {
    const release = ".yarn/releases/yarn-4.9.2.cjs";
    expect(jsManifests({ manager: "yarn", berry: true }, true, release)).toEqual([
      "package.json",
      "yarn.lock",
      ".yarnrc.yml",
      release,
    ]);
    expect(jsManifests({ manager: "yarn", berry: false }, true, release)).toEqual(["package.json", "yarn.lock"]);
  });
});
