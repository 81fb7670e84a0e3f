import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../../../scripts/host/cli/program";

const ROOT = resolve(import.meta.dirname, "../../../..");

/** Every `npm run pipeline -- <command> --flag …` typed for a user: its command and the flags it names. */
function typedCalls(text: string): { command: string; flags: string[] }[] {
  return [...text.matchAll(/npm run pipeline -- ([a-z][a-z0-9-]*[a-z0-9])(?=[\s`'"]|$)([^\n`'"#;|)]*)/g)].map((m) => ({
    command: m[1],
    flags: [...m[2].matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((f) => f[0]).filter((f) => !/--(help)$/.test(f)),
  }));
}

function files(dir: string, ext: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(ext) && !f.includes("node_modules"))
    .map((f) => join(dir, f));
}

describe("every typed `npm run pipeline` line names a command and only its options", () => {
  const program = buildProgram(() => {});
  const options = new Map(program.commands.map((c) => [c.name(), new Set(c.options.map((o) => o.long))]));
  const sources = ["README.md", ...files("docs", ".md"), ...files("ci/src", ".ts"), ...files("scripts", ".ts")];

  const problemsOf = (f: string, text: string) =>
    typedCalls(text).flatMap(({ command, flags }) => {
      const own = options.get(command);
      if (!own) return [`${f}: ${command} is no command`];
      return flags.filter((x) => !own.has(x)).map((x) => `${f}: ${command} has no option ${x}`);
    });

  it("finds the calls it checks, and catches a wrong one", () => {
    expect(problemsOf("x", "`npm run pipeline -- deploy-staging --shards 4`; npm run pipeline -- e2e")).toEqual([
      "x: deploy-staging has no option --shards",
      "x: e2e is no command",
    ]);
    expect(typedCalls("run: npm run pipeline -- end-to-end --shards 4 --suite smoke # x --nope")).toEqual([
      { command: "end-to-end", flags: ["--shards", "--suite"] },
    ]);
    const all = sources.flatMap((f) => typedCalls(readFileSync(join(ROOT, f), "utf8")));
    expect(all.length).toBeGreaterThan(30);
  });

  it("has no call of a missing command or an option its command does not take", () => {
    expect(sources.flatMap((f) => problemsOf(f, readFileSync(join(ROOT, f), "utf8")))).toEqual([]);
  });
});
