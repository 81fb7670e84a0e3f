import { beforeAll, describe, expect, it } from "vitest";
import { CONFIG_FILE } from "../../ci/src/plan/config/defaults";
import { REPO_IGNORE, SECRET_FILES, SOURCE_IGNORE } from "../../ci/src/index";
import { constructorArgs, introspectModule, type FunctionShape, type ModuleShape } from "../support/introspect";
import { toKebab } from "../support/strcase";

/** The surface the CLI lines in the README and workflows need, as the engine's own introspector sees it. */
describe("Ci module surface (SDK introspector)", () => {
  let mod: ModuleShape;
  let ctor: FunctionShape["arguments"];
  beforeAll(async () => {
    mod = await introspectModule();
    ctor = constructorArgs(mod.objects.Ci);
  }, 60_000);

  it("exposes the Ci object", () => {
    expect(Object.keys(mod.objects)).toContain("Ci");
  });

  it("documents every function with a one-line imperative sentence, an example, and every argument", () => {
    for (const [name, f] of Object.entries(mod.objects.Ci.methods)) {
      const [first, ...rest] = f.description.split("\n");
      expect(first, name).toMatch(/^[A-Z][a-z]+ .+\.$/);
      // Constructor flags, if any, stand before the function: `dagger call --source ../my-app fast-tests`.
      expect(rest.join("\n"), name).toMatch(
        new RegExp(`^Example: dagger call (--\\S+ \\S+ )*${toKebab(name)}\\b`, "m"),
      );
      for (const [arg, a] of Object.entries(f.arguments)) expect(a.description, `${name}(${arg})`).not.toBe("");
    }
    for (const [arg, a] of Object.entries(ctor)) expect(a.description, `constructor(${arg})`).not.toBe("");
  });

  describe("the constructor", () => {
    it("takes the source, the repository and the config path, in that order", () => {
      expect(Object.keys(ctor)).toEqual(["source", "repo", "config"]);
    });

    it("defaults the source to the example app, leaving out dependencies, builds, git and local secrets", () => {
      expect(ctor.source.type).toEqual({ kind: "OBJECT_KIND", name: "Directory" });
      expect(ctor.source.defaultPath).toBe("/examples/app");
      expect(ctor.source.ignore).toEqual(expect.arrayContaining(["**/node_modules", "**/.next", ".git", ".env"]));
    });

    it("defaults the repo to this repository, keeping .git for diffs and leaving out .tools and .pipeline", () => {
      expect(ctor.repo.type).toEqual({ kind: "OBJECT_KIND", name: "Directory" });
      expect(ctor.repo.defaultPath).toBe("/");
      expect(ctor.repo.ignore).not.toContain(".git");
      expect(ctor.repo.ignore).toEqual(expect.arrayContaining([".tools", ".pipeline", "**/node_modules", ".env"]));
    });

    it("defaults the config path to pipeline.yaml", () => {
      expect(ctor.config.type).toEqual({ kind: "STRING_KIND" });
      expect(ctor.config.defaultValue).toBe(CONFIG_FILE);
    });

    // What the engine reads is the introspector's value: this shows it followed the identifier to its array.
    it("reads each ignore list from its module-level constant (resolveDecoratorArgumentValue)", () => {
      expect(ctor.source.ignore).toEqual(SOURCE_IGNORE);
      expect(ctor.repo.ignore).toEqual(REPO_IGNORE);
      const { blobs } = mod.objects.Ci.methods.endToEndMerge.arguments;
      expect(blobs.ignore).toEqual(SECRET_FILES);
    });
  });

  it("lets no function take the source, the repo or the config again", () => {
    const again = Object.values(mod.objects.Ci.methods).flatMap((f) =>
      Object.keys(f.arguments)
        .filter((a) => a in ctor)
        .map((a) => `${f.name}(${a})`),
    );
    expect(again).toEqual([]);
  });

  it("gives every function whose stage raises a warning alert (coverage-drop, e2e-failed) an optional Secret for it", () => {
    for (const fn of ["fastTests", "frontendChecks", "backendTests", "endToEnd", "endToEndMerge"]) {
      const args = mod.objects.Ci.methods[fn].arguments as Record<string, { type: unknown; isOptional?: boolean }>;
      const a = args.alertWarning;
      expect([fn, a?.type, a?.isOptional]).toEqual([fn, { kind: "OBJECT_KIND", name: "Secret" }, true]);
    }
  });

  it("gives fast-tests, frontend-checks and backend-tests no required argument, so each runs bare", () => {
    for (const fn of ["fastTests", "frontendChecks", "backendTests"]) {
      const args = Object.values(mod.objects.Ci.methods[fn].arguments) as { name: string; isOptional?: boolean }[];
      expect(
        args.filter((a) => !a.isOptional && !("defaultValue" in a)).map((a) => a.name),
        fn,
      ).toEqual([]);
    }
    const ctorArgs = Object.values(ctor) as { name: string; defaultValue?: unknown; defaultPath?: string }[];
    expect(ctorArgs.filter((a) => a.defaultValue === undefined && !a.defaultPath)).toEqual([]);
  });
});
