import { beforeAll, describe, expect, it } from "vitest";
import { introspectModule, registeredCachePolicies, type FunctionShape } from "../support/introspect";

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
      for (const n of ["endToEndRecords", "since", "until"]) expect(a[n].isOptional, n).toBe(true);
      // The billing rate and thresholds come from the constructor's config, like every other function's.
      expect(a.config).toBeUndefined();
      expect(a.releaseLogs.isOptional).toBe(false);
    });
  }
});

/**
 * The window's default end is today: a cached call on a persistent engine would replay yesterday's window. The
 * policy is not in the introspector's JSON, so this runs the SDK's own Register against the recorder and reads it.
 */
describe("functions whose answer depends on today or on a server are never cached (SDK Register, recorded)", () => {
  let policyOf: (fn: string) => string | undefined;
  beforeAll(async () => {
    policyOf = await registeredCachePolicies();
  }, 60_000);

  it.each(["metrics", "metricsPage", "stagingCommit"])("registers %s with cache policy Never", (fn) => {
    expect(policyOf(fn)).toBe("Never");
  });

  it("leaves plan on the Default policy (so the Never above is read, not assumed)", () => {
    expect(policyOf("plan")).toBe("Default");
  });
});
