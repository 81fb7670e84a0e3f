import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  constructorArgs,
  introspectModule,
  registeredCachePolicies,
  type FunctionShape,
  type ModuleShape,
} from "../support/introspect";

const DEPLOY_FUNCTIONS = ["deployStaging", "deployProduction", "rollback"] as const;
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `dagger call deploy-staging | deploy-production | rollback` as the engine's own introspector sees the module. */
describe("deploy function surface (SDK introspector)", () => {
  let methods: Record<string, FunctionShape>;
  let module: ModuleShape;
  beforeAll(async () => {
    module = await introspectModule();
    methods = module.objects.Ci.methods;
  }, 60_000);

  for (const fn of DEPLOY_FUNCTIONS) {
    describe(fn, () => {
      it("exists, with a one-line imperative description and a `dagger call` example using env:// secrets", () => {
        const f = methods[fn];
        expect(f, `${fn} is not a @func()`).toBeDefined();
        const [first, ...rest] = f.description.split("\n");
        expect(first).toMatch(/^[A-Z][a-z]+ .+\.$/);
        expect(rest.join("\n")).toMatch(
          new RegExp(`Example: dagger call ${kebab(fn)} .*--ssh-key env://\\w+ --known-hosts env://\\w+`),
        );
      });

      it("takes host, user and base path as required strings, and the port as an Int defaulting to 22", () => {
        const a = methods[fn].arguments;
        for (const n of ["host", "user", "basePath"]) {
          expect(a[n].type, n).toEqual({ kind: "STRING_KIND" });
          expect(a[n].isNullable ?? false, n).toBe(false);
        }
        expect(a.port.type).toEqual({ kind: "INTEGER_KIND" });
        expect(a.port.defaultValue).toBe(22);
      });

      it("takes the SSH key and the pinned known_hosts (and, to deploy, the database URI) as required Secrets", () => {
        const a = methods[fn].arguments as Record<string, { type: unknown; isOptional?: boolean }>;
        for (const n of ["sshKey", "knownHosts", ...(fn === "rollback" ? [] : ["databaseUri"])]) {
          expect(a[n].type, n).toEqual({ kind: "OBJECT_KIND", name: "Secret" });
          expect(a[n].isOptional ?? false, n).toBe(false);
        }
      });

      it("takes no source, repo or config of its own: the constructor's (its repo gives scripts/pipeline.ts)", () => {
        const a = methods[fn].arguments;
        expect(["source", "repo", "config"].filter((n) => n in a)).toEqual([]);
      });

      it("documents every argument", () => {
        for (const [name, a] of Object.entries(methods[fn].arguments))
          expect(a.description, `${fn}(${name}) has no @param`).not.toBe("");
      });

      it("returns the log as a String", () => {
        expect(methods[fn].returnType).toEqual({ kind: "STRING_KIND" });
      });
    });
  }

  it("deploy functions take the commit; deployProduction also the staging target, its secrets and an optional force reason", () => {
    for (const fn of ["deployStaging", "deployProduction"])
      expect(methods[fn].arguments.commit.type).toEqual({ kind: "STRING_KIND" });
    const a = methods.deployProduction.arguments as Record<
      string,
      { type: unknown; isOptional?: boolean; defaultValue?: unknown }
    >;
    for (const n of ["stagingHost", "stagingUser", "stagingBasePath", "forceReason"])
      expect([n, a[n].type, a[n].isOptional]).toEqual([n, { kind: "STRING_KIND" }, true]);
    for (const n of ["stagingSshKey", "stagingKnownHosts", "apiKey"])
      expect([n, a[n].type, a[n].isOptional]).toEqual([n, { kind: "OBJECT_KIND", name: "Secret" }, true]);
    expect(a.stagingPort.defaultValue).toBe(22);
  });

  it.each(["deploy-staging", "deploy-production"])(
    "%s.yml passes only flags the function has, and every required one",
    (wf) => {
      const doc = parse(readFileSync(resolve(import.meta.dirname, `../../.github/workflows/${wf}.yml`), "utf8")) as {
        jobs: Record<string, { steps: { with?: { call?: string } }[] }>;
      };
      const call = doc.jobs.deploy.steps.find((st) => st.with?.call)!.with!.call!;
      // `dagger call [constructor flags] <function> [its flags]`: Deploy Production gives the constructor --source.
      const words = call.trim().split(/\s+/);
      const at = words.findIndex((w, i) => !w.startsWith("--") && (i === 0 || !words[i - 1].startsWith("--")));
      const [fn, rest] = [words[at], words.slice(at + 1)];
      const camel = (w: string) => w.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      for (const flag of words
        .slice(0, at)
        .filter((w) => w.startsWith("--"))
        .map(camel))
        expect(Object.keys(constructorArgs(module.objects.Ci)), `constructor --${flag} in ${wf}.yml`).toContain(flag);
      const f = methods[fn.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
      const flags = rest.filter((w) => w.startsWith("--")).map(camel);
      for (const flag of flags) expect(Object.keys(f.arguments), `--${flag} in ${wf}.yml`).toContain(flag);
      const required = Object.values(
        f.arguments as Record<
          string,
          { name: string; isOptional?: boolean; defaultValue?: unknown; defaultPath?: string }
        >,
      ).filter((a) => !a.isOptional && a.defaultValue === undefined && !a.defaultPath);
      expect(required.map((a) => a.name).filter((n) => !flags.includes(n))).toEqual([]);
    },
  );

  it("rollback needs no database URI: it writes no app secret", () => {
    expect(Object.keys(methods.rollback.arguments)).not.toContain("databaseUri");
  });

  it("rollback takes the target (default staging) and an optional release id", () => {
    const a = methods.rollback.arguments as Record<
      string,
      { type: unknown; isOptional?: boolean; defaultValue?: unknown }
    >;
    expect(a.target.defaultValue).toBe("staging");
    expect([a.to.type, a.to.isOptional]).toEqual([{ kind: "STRING_KIND" }, true]);
  });
});

/**
 * The cache policy is not in the introspector's JSON, so this runs the SDK's own Register (what the
 * module runtime sends the engine at load) against the recorder and reads the policy it declares.
 */
describe("deploy functions' cache policy (SDK Register, recorded)", () => {
  let policyOf: (fn: string) => string | undefined;
  beforeAll(async () => {
    policyOf = await registeredCachePolicies();
  }, 60_000);

  it.each(DEPLOY_FUNCTIONS)("registers %s with cache policy Never, so every call deploys", (fn) => {
    expect(policyOf(fn)).toBe("Never");
  });

  it("leaves fast-tests on the Default policy (so the Never above is read, not assumed)", () => {
    expect(policyOf("fastTests")).toBe("Default");
  });
});
