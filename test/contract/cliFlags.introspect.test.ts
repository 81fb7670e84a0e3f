import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DAGGER_CALL_FLAGS } from "../support/daggerFlags";
import { constructorArgs, introspectModule, introspectSources, type ModuleShape } from "../support/introspect";
import { toKebab } from "../support/strcase";

/** Every argument whose CLI name (strcase ToKebab, as the CLI names flags) is a flag `dagger call` already has. */
function flagCollisions(mod: ModuleShape): string[] {
  const taken = new Map(DAGGER_CALL_FLAGS.map((f) => [f.name, f.from]));
  return Object.values(mod.objects).flatMap((o) => {
    const fns = [
      { where: `${o.name} constructor`, args: constructorArgs(o) },
      ...Object.values(o.methods).map((f) => ({ where: `${o.name}.${f.name}`, args: f.arguments })),
    ];
    return fns.flatMap(({ where, args }) =>
      Object.keys(args)
        .filter((a) => taken.has(toKebab(a)))
        .map((a) => `${where}(${a}): --${toKebab(a)} is dagger call's own (${taken.get(toKebab(a))})`),
    );
  });
}

/** A module written the old way: `plan(json)` and friends, scanned by the same introspector. */
const OLD_PLAN = `
import { func, object } from "@dagger.io/dagger";
/** Old. */
@object()
export class Ci {
  constructor(readonly mod: string = "x") {}
  /** Print the plan. */
  @func()
  plan(event: string, json: boolean = false, dotOutput?: string): string {
    return event + json + dotOutput;
  }
}
`;

describe("argument names against `dagger call`'s own flags (SDK introspector, dagger v0.21.8 flags)", () => {
  let mod: ModuleShape;
  beforeAll(async () => {
    mod = await introspectModule();
  }, 60_000);

  it("lists the flags from the v0.21.8 source, each with where it is defined", () => {
    expect(DAGGER_CALL_FLAGS).toHaveLength(25);
    for (const f of DAGGER_CALL_FLAGS) expect(f.from, f.name).toMatch(/^cmd\/dagger\/\w+\.go:\d+/);
  });

  it("finds no function or constructor argument named like one of them", () => {
    expect(flagCollisions(mod)).toEqual([]);
  });

  it("catches the collisions of a module that still takes plan(json)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "old-plan-")), "index.ts");
    writeFileSync(file, OLD_PLAN);
    expect(flagCollisions(await introspectSources([file]))).toEqual([
      expect.stringMatching(/^Ci constructor\(mod\): --mod is dagger call's own \(cmd\/dagger\/module\.go:130/),
      expect.stringMatching(/^Ci\.plan\(json\): --json is dagger call's own \(cmd\/dagger\/functions\.go:249/),
      expect.stringMatching(/^Ci\.plan\(dotOutput\): --dot-output is dagger call's own/),
    ]);
  }, 60_000);
});
