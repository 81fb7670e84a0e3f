import { beforeAll, describe, expect, it } from "vitest";
import { introspectModule, type FunctionShape } from "../support/introspect";

/** `dagger call metrics` and `dagger call metrics-page` as the engine's own introspector sees the module. */
describe("metrics function surface (SDK introspector)", () => {
  let methods: Record<string, FunctionShape>;
  beforeAll(async () => {
    methods = (await introspectModule()).objects.Ci.methods;
  }, 60_000);

  for (const [fn, returns] of [
    ["metrics", { kind: "STRING_KIND" }],
    ["metricsPage", { kind: "OBJECT_KIND", name: "File" }],
  ] as const) {
    it(`${fn} takes release logs as a list of Files and the rest optional, and returns ${JSON.stringify(returns)}`, () => {
      const f = methods[fn];
      expect(f, `${fn} is not a @func()`).toBeDefined();
      expect(f.returnType).toEqual(returns);
      const a = f.arguments as Record<string, (typeof f.arguments)[string] & { isOptional?: boolean }>;
      expect(JSON.stringify(a.releaseLogs.type)).toMatch(/LIST_KIND.*File/);
      expect(a.endToEndRecords.type).toEqual({ kind: "OBJECT_KIND", name: "Directory" });
      for (const n of ["endToEndRecords", "since", "until", "config"]) expect(a[n].isOptional, n).toBe(true);
      expect(a.releaseLogs.isOptional).toBe(false);
    });
  }
});
