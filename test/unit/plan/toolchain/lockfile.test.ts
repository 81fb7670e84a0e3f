import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lockedVersion } from "../../../../ci/src/plan/toolchain/lockfile";

/** Lockfiles written by the real managers (test/fixtures/lockfiles/README.md says how). */
const LOCKS = join(import.meta.dirname, "../../../fixtures/lockfiles");
const read = (path: string) => readFileSync(join(LOCKS, path), "utf8");
const PW = "@playwright/test";

describe("lockedVersion", () => {
  it("reads a direct dependency from pnpm-lock.yaml v9, and none for a package it does not hold", () => {
    const lock = read("pnpm/pnpm-lock.yaml");
    expect(lockedVersion("pnpm", lock, PW)).toBe("1.65.1");
    // next resolves with its peers: `16.4.6(@playwright/test@1.65.1)(react-dom@…)`.
    expect(lockedVersion("pnpm", lock, "next")).toBe("16.4.6");
    expect(lockedVersion("pnpm", lock, "left-pad")).toBeUndefined();
  });

  it("reads pnpm's older lockfiles: v6 importers at the top, v5 plain versions with a peer suffix", () => {
    const v6 = `lockfileVersion: '6.0'\ndevDependencies:\n  '${PW}':\n    specifier: ^1.40.0\n    version: 1.40.1\n`;
    const v5 = `lockfileVersion: 5.4\ndevDependencies:\n  '${PW}': 1.39.0_typescript@5.2.2\n`;
    expect(lockedVersion("pnpm", v6, PW)).toBe("1.40.1");
    expect(lockedVersion("pnpm", v5, PW)).toBe("1.39.0");
  });

  it("reads yarn classic's v1 lockfile and yarn berry's YAML one", () => {
    expect(lockedVersion("yarn", read("yarn-classic/yarn.lock"), PW, "1.65.1")).toBe("1.65.1");
    expect(lockedVersion("yarn", read("yarn-berry/yarn.lock"), PW, "1.65.1")).toBe("1.65.1");
    expect(lockedVersion("yarn", read("yarn-berry/yarn.lock"), "typescript")).toBe("5.9.3");
  });

  it("picks the entry package.json's range resolved to when a yarn.lock holds two, and none if it cannot tell", () => {
    const classic = [
      `"${PW}@^1.50.0", "${PW}@^1.60.0":`,
      `  version "1.65.1"`,
      "",
      `"${PW}@1.40.0":`,
      `  version "1.40.0"`,
      "",
    ].join("\n");
    expect(lockedVersion("yarn", classic, PW, "^1.60.0")).toBe("1.65.1");
    expect(lockedVersion("yarn", classic, PW, "1.40.0")).toBe("1.40.0");
    expect(lockedVersion("yarn", classic, PW)).toBeUndefined();
    const berry = `__metadata:\n  version: 8\n\n"${PW}@npm:^1.60.0":\n  version: 1.65.1\n\n"${PW}@npm:1.40.0":\n  version: 1.40.0\n`;
    expect(lockedVersion("yarn", berry, PW, "^1.60.0")).toBe("1.65.1");
    expect(lockedVersion("yarn", berry, PW, "~1.0.0")).toBeUndefined();
  });

  it("reads package-lock.json v3 `packages` and v1 `dependencies`", () => {
    const v3 = JSON.stringify({ packages: { [`node_modules/${PW}`]: { version: "1.65.1" } } });
    const v1 = JSON.stringify({ lockfileVersion: 1, dependencies: { [PW]: { version: "1.30.0" } } });
    expect(lockedVersion("npm", v3, PW)).toBe("1.65.1");
    expect(lockedVersion("npm", v1, PW)).toBe("1.30.0");
  });
});
