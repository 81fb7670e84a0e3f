import { beforeAll, describe, expect, it } from "vitest";
import { introspectModule, type FunctionShape } from "../../support/introspect";

/** `dagger call e2e --shards 4 ...` as the engine's own introspector sees the module. */
describe("e2e function surface (SDK introspector)", () => {
  let e2e: FunctionShape;
  beforeAll(async () => {
    e2e = (await introspectModule()).objects.Ci.methods.endToEnd;
  }, 60_000);

  it("exists, with a one-line imperative description and a `dagger call e2e --shards 4` example", () => {
    expect(e2e, "e2e is not a @func()").toBeDefined();
    const [first, ...rest] = e2e.description.split("\n");
    expect(first).toMatch(/^Run Playwright .+\.$/);
    expect(rest.join("\n")).toMatch(/Example: dagger call end-to-end --shards 4/);
  });

  it("takes shards as an Int defaulting to 4", () => {
    expect(e2e.arguments.shards.type).toEqual({ kind: "INTEGER_KIND" });
    expect(e2e.arguments.shards.defaultValue).toBe(4);
  });

  it("takes the base URL and the API URL as required strings", () => {
    for (const a of ["baseUrl", "apiUrl"]) {
      expect(e2e.arguments[a].type).toEqual({ kind: "STRING_KIND" });
      expect(e2e.arguments[a].isNullable ?? false).toBe(false);
    }
  });

  it("takes the webhooks and staging's SSH files as optional Secrets", () => {
    for (const a of ["slackWebhook", "discordWebhook", "stagingSshKey", "stagingKnownHosts"]) {
      expect(e2e.arguments[a].type).toEqual({ kind: "OBJECT_KIND", name: "Secret" });
      expect((e2e.arguments[a] as { isOptional?: boolean }).isOptional).toBe(true);
    }
  });

  it("defaults the suite to full, and takes the source from the constructor", () => {
    expect(e2e.arguments.suite.defaultValue).toBe("full");
    expect(e2e.arguments.source).toBeUndefined();
  });

  it("documents every argument", () => {
    for (const [name, a] of Object.entries(e2e.arguments)) expect(a.description, `${name} has no @param`).not.toBe("");
  });

  it("returns a Directory (the merged report)", () => {
    expect(e2e.returnType).toEqual({ kind: "OBJECT_KIND", name: "Directory" });
  });
});
