/**
 * ci/ as `dagger develop` (v0.21.x) leaves it, so the engine's TypeScript runtime neither rewrites package.json nor
 * the lock on a cold load. Runtime source, dagger/dagger sdk/typescript/runtime at v0.21.8:
 * - tsutils/package_json_updator.go UpdatePackageJSONForModule: sets "type": "module", adds dependencies.typescript =
 *   tsdistconsts.DefaultTypeScriptVersion ("5.9.3", tsdistconsts/consts.go) when absent, drops @dagger.io/dagger;
 * - runtime_node.go withInstalledDependencies: with typescript at exactly that version it mounts its bundled copy
 *   (typescript-library: the SDK's own typescript, 6.0.3 at v0.21.8) over node_modules/typescript, then runs
 *   `npm install --omit=dev` for any other dependency; npm sees a different typescript there and renames the mount
 *   point: EBUSY, the load fails. So with other dependencies typescript is pinned at another version: no mount, npm
 *   installs everything from the lock (reproduced on a host: docs/engine-lab.md "npm EBUSY");
 * - tsutils/tsconfig_updator.go UpdateTSConfigForModule: sets the @dagger.io/dagger paths and experimentalDecorators;
 * - main.go Codegen: WithVCSIgnoredPaths(["sdk", "**\/node_modules/**", "**\/.pnpm-store/**"]) plus ".env"
 *   (core/codegen.go), which core/schema/modulesource.go writes to ci/.gitignore as "/<path>" lines.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const CI = resolve(import.meta.dirname, "../../ci");
const RUNTIME_TYPESCRIPT = "5.9.3";
const GENERATED_IGNORES = ["/sdk", "/**/node_modules/**", "/**/.pnpm-store/**", "/.env"];

interface Manifest {
  type?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
interface Lock {
  lockfileVersion: number;
  packages: Record<string, Manifest & { version?: string; dev?: boolean }>;
}

const pkg = JSON.parse(readFileSync(join(CI, "package.json"), "utf8")) as Manifest;
const lock = JSON.parse(readFileSync(join(CI, "package-lock.json"), "utf8")) as Lock;

/** The modules a file imports or re-exports, read by the TypeScript parser (code it writes as text does not count). */
function moduleSpecifiers(text: string): string[] {
  const sf = ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, false);
  return sf.statements.flatMap((st) =>
    (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) &&
    st.moduleSpecifier &&
    ts.isStringLiteral(st.moduleSpecifier)
      ? [st.moduleSpecifier.text]
      : [],
  );
}

/** The packages ci/src imports by bare name (not node:, not the SDK the runtime generates into ci/sdk). */
function importedPackages(): string[] {
  const files = readdirSync(join(CI, "src"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  const names = files.flatMap((f) =>
    moduleSpecifiers(readFileSync(join(CI, "src", f), "utf8")).filter((n) => !n.startsWith(".")),
  );
  const pkgName = (n: string) =>
    n
      .split("/")
      .slice(0, n.startsWith("@") ? 2 : 1)
      .join("/");
  return [...new Set(names.map(pkgName))].filter((n) => !n.startsWith("node:") && n !== "@dagger.io/dagger").sort();
}

describe("ci/package.json", () => {
  it("is an ES module the runtime installs with npm alone: typescript declared, not at the mounted version", () => {
    expect(pkg.type).toBe("module");
    const others = Object.keys(pkg.dependencies ?? {}).filter((n) => n !== "typescript");
    expect(pkg.dependencies?.typescript).toMatch(/^\d+\.\d+\.\d+$/);
    if (others.length) expect(pkg.dependencies?.typescript).not.toBe(RUNTIME_TYPESCRIPT);
    expect(pkg.dependencies?.["@dagger.io/dagger"]).toBeUndefined();
    expect(pkg.devDependencies?.["@dagger.io/dagger"]).toBeUndefined();
  });

  it("declares, pinned exactly, every package ci/src imports", () => {
    const deps = pkg.dependencies ?? {};
    expect(importedPackages().filter((n) => !deps[n])).toEqual([]);
    for (const [name, version] of Object.entries(deps)) expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("ci/package-lock.json", () => {
  it("matches package.json, name and version for every dependency, so npm install leaves it as it is", () => {
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.packages[""].dependencies).toEqual(pkg.dependencies);
    for (const [name, version] of Object.entries(pkg.dependencies ?? {})) {
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
      expect(lock.packages[`node_modules/${name}`]?.dev, name).toBeUndefined();
    }
  });
});

describe("ci/tsconfig.json", () => {
  it("already holds what tsconfig_updator.go sets (SDK paths, decorators), so the runtime changes nothing", () => {
    const ts = JSON.parse(readFileSync(join(CI, "tsconfig.json"), "utf8")) as {
      compilerOptions: { experimentalDecorators?: boolean; paths?: Record<string, string[]> };
    };
    expect(ts.compilerOptions.experimentalDecorators).toBe(true);
    expect(ts.compilerOptions.paths).toMatchObject({
      "@dagger.io/dagger": ["./sdk/index.ts"],
      "@dagger.io/dagger/telemetry": ["./sdk/telemetry.ts"],
    });
  });
});

describe("ci/.gitignore", () => {
  it("ignores what dagger develop generates: the SDK, node_modules, the pnpm store and .env", () => {
    const lines = readFileSync(join(CI, ".gitignore"), "utf8").split("\n");
    expect(lines).toEqual(expect.arrayContaining(GENERATED_IGNORES));
  });
});
