import { beforeAll, describe, expect, it } from "vitest";
import { constructorArgs, introspectModule, type FunctionShape } from "../support/introspect";

/** Local secret files: never uploaded to the engine, whichever Directory argument a call fills. */
const SECRETS = [".env", "**/.env", ".env.*", "**/.env.*", "**/*.pem", "**/.npmrc"];
/** Dependency and build directories: large, platform-specific, and rebuilt in the containers anyway. */
const GENERATED = ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__"];

type Arg = FunctionShape["arguments"][string];

/** `dagger call [--source D] <fn> --<arg> D` uploads: every Directory argument, constructor's and functions'. */
describe("Directory uploads (SDK introspector)", () => {
  let dirs: { where: string; name: string; arg: Arg }[];
  beforeAll(async () => {
    const ci = (await introspectModule()).objects.Ci;
    const isDir = ([, a]: [string, Arg]) => (a.type as { name?: string }).name === "Directory";
    dirs = [
      ...Object.entries(constructorArgs(ci))
        .filter(isDir)
        .map(([name, arg]) => ({ where: `constructor(${name})`, name, arg })),
      ...Object.entries(ci.methods).flatMap(([fn, f]) =>
        Object.entries(f.arguments)
          .filter(isDir)
          .map(([name, arg]) => ({ where: `${fn}(${name})`, name, arg })),
      ),
    ];
  }, 60_000);

  it("finds the source and the repo once each, in the constructor, and the functions' own directories", () => {
    expect(dirs.filter((d) => d.name === "source" || d.name === "repo").map((d) => d.where)).toEqual([
      "constructor(source)",
      "constructor(repo)",
    ]);
    expect(dirs.map((d) => d.name)).toEqual(expect.arrayContaining(["blobs", "report", "endToEndRecords"]));
  });

  it("leaves .env, .env.*, *.pem and .npmrc out of every Directory argument", () => {
    const leaks = dirs.flatMap((d) => SECRETS.filter((p) => !d.arg.ignore?.includes(p)).map((p) => `${d.where}: ${p}`));
    expect(leaks).toEqual([]);
  });

  it("leaves dependency and build directories out of every source and repo", () => {
    const withDefault = dirs.filter((d) => d.arg.defaultPath);
    expect(withDefault.map((d) => d.where)).toEqual(["constructor(source)", "constructor(repo)"]);
    const heavy = withDefault.flatMap((d) =>
      GENERATED.filter((p) => !d.arg.ignore?.includes(p)).map((p) => `${d.where}: ${p}`),
    );
    expect(heavy).toEqual([]);
  });

  it("keeps .git in the repo, which fast-tests, plan and check-commits diff, and drops it from the source", () => {
    const [source, repo] = ["source", "repo"].map((n) => dirs.find((d) => d.name === n)!.arg);
    expect(repo.ignore).not.toContain(".git");
    expect(source.ignore).toContain(".git");
  });
});
