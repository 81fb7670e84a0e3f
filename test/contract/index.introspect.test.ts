import { beforeAll, describe, expect, it } from "vitest";
import { introspectModule, type ModuleShape } from "../support/introspect";

/** The surface the CLI lines in the README and workflows need, as the engine's own introspector sees it. */
describe("Ci module surface (SDK introspector)", () => {
  let mod: ModuleShape;
  beforeAll(async () => {
    mod = await introspectModule();
  }, 60_000);

  it("exposes the Ci object", () => {
    expect(Object.keys(mod.objects)).toContain("Ci");
  });

  it("documents every function with a one-line imperative sentence, an example, and every argument", () => {
    for (const [name, f] of Object.entries(mod.objects.Ci.methods)) {
      const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      expect(f.description.split("\n")[0], name).toMatch(/^[A-Z][a-z]+ .+\.$/);
      expect(f.description, name).toMatch(new RegExp(`Example: dagger call ${kebab}\\b`));
      for (const [arg, a] of Object.entries(f.arguments)) expect(a.description, `${name}(${arg})`).not.toBe("");
    }
  });

  for (const fn of ["fastTests", "frontendChecks", "backendTests"]) {
    describe(fn, () => {
      it("has a one-line imperative description and an example", () => {
        const f = mod.objects.Ci.methods[fn];
        expect(f, `${fn} is not a @func()`).toBeDefined();
        const [first, ...rest] = f.description.split("\n");
        expect(first).toMatch(/^[A-Z][a-z]+ .+\.$/);
        expect(rest.join("\n")).toMatch(
          new RegExp(`Example: dagger call ${fn.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`),
        );
      });

      it("takes the source as a Directory defaulting to the example app, without node_modules", () => {
        const source = mod.objects.Ci.methods[fn].arguments.source;
        expect(source.type).toEqual({ kind: "OBJECT_KIND", name: "Directory" });
        expect(source.defaultPath).toBe("/examples/app");
        expect(source.ignore).toEqual(expect.arrayContaining(["**/node_modules", "**/.next", ".git"]));
        expect(source.description).not.toBe("");
      });

      it("takes an optional config path defaulting to pipeline.yaml", () => {
        const config = mod.objects.Ci.methods[fn].arguments.config;
        expect(config.type).toEqual({ kind: "STRING_KIND" });
        expect(config.defaultValue).toBe("pipeline.yaml");
        expect(config.description).not.toBe("");
      });
    });
  }
});
