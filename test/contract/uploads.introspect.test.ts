import { beforeAll, describe, expect, it } from "vitest";
import { introspectModule, type FunctionShape } from "../support/introspect";

/** Local secret files: never uploaded to the engine, whichever Directory argument a call fills. */
const SECRETS = [".env", "**/.env", ".env.*", "**/.env.*", "**/*.pem", "**/.npmrc"];
/** Dependency and build directories: large, platform-specific, and rebuilt in the containers anyway. */
const GENERATED = ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__"];

type Arg = FunctionShape["arguments"][string];

/** `dagger call <fn> --<arg>` uploads: every Directory argument of every function, as the SDK introspector sees it. */
describe("Directory uploads (SDK introspector)", () => {
  let dirs: { where: string; name: string; arg: Arg }[];
  beforeAll(async () => {
    const mod = await introspectModule();
    dirs = Object.entries(mod.objects.Ci.methods).flatMap(([fn, f]) =>
      Object.entries(f.arguments)
        .filter(([, a]) => (a.type as { name?: string }).name === "Directory")
        .map(([name, arg]) => ({ where: `${fn}(${name})`, name, arg })),
    );
  }, 60_000);

  it("finds the source and repo arguments of the functions", () => {
    expect(dirs.filter((d) => d.name === "source").length).toBeGreaterThanOrEqual(10);
    expect(dirs.filter((d) => d.name === "repo").length).toBeGreaterThanOrEqual(6);
  });

  it("leaves .env, .env.*, *.pem and .npmrc out of every Directory argument", () => {
    const leaks = dirs.flatMap((d) => SECRETS.filter((p) => !d.arg.ignore?.includes(p)).map((p) => `${d.where}: ${p}`));
    expect(leaks).toEqual([]);
  });

  it("leaves dependency and build directories out of every source and repo", () => {
    const heavy = dirs
      .filter((d) => d.arg.defaultPath)
      .flatMap((d) => GENERATED.filter((p) => !d.arg.ignore?.includes(p)).map((p) => `${d.where}: ${p}`));
    expect(heavy).toEqual([]);
  });

  it("says the source list once: every source argument ignores the same patterns", () => {
    const lists = new Set(dirs.filter((d) => d.name === "source").map((d) => JSON.stringify(d.arg.ignore)));
    expect([...lists]).toHaveLength(1);
  });

  it("keeps .git in the repo that diffs and checks commits, and drops it with the tests from the deploy's repo", () => {
    for (const d of dirs.filter((x) => x.name === "repo")) {
      const deploys = /^(deploy|rollback)/.test(d.where);
      expect(d.arg.ignore?.includes(".git"), d.where).toBe(deploys);
      if (deploys) expect(d.arg.ignore, d.where).toEqual(expect.arrayContaining(["examples", "test", "bench"]));
    }
  });
});
