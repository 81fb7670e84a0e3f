/**
 * Check a typed `dagger call ...` line against the module as the engine's introspector sees it, naming commands and
 * flags the way the Dagger CLI does (strcase ToKebab, see strcase.ts).
 */
import { constructorArgs, type FunctionShape, type ModuleShape } from "./introspect";
import { DAGGER_CALL_FLAGS } from "./daggerFlags";
import { toKebab } from "./strcase";

type Args = FunctionShape["arguments"];

/** Flags of the objects a function may return, when chained after it (`... export --path report`). */
const CORE_CHAINS: Record<string, Record<string, string[]>> = {
  Directory: { export: ["path", "wipe"], entries: ["path"] },
  File: { export: ["path", "allow-parent-dir-path"], contents: [] },
};
/** `dagger call`'s own flags (persistent, so valid before and after the function), and whether each takes a value. */
const DAGGER_FLAGS: Record<string, boolean> = Object.fromEntries(
  DAGGER_CALL_FLAGS.flatMap((f) => [[`--${f.name}`, f.value], ...(f.short ? [[`-${f.short}`, f.value]] : [])]),
);
const HELP = new Set(["--help", "-h"]);
/** What daggerCalls puts for an interpolation (`${{ }}`, `$( )`, `${ }`). */
const EXPR = "EXPR";

/** The text after each `dagger call` in `text`, up to a backtick, quote, comment, pipe or end of line. */
export function daggerCalls(text: string): string[] {
  const flat = text
    .replace(/\\\r?\n\s*/g, " ")
    .replace(/\$\{\{[^}]*\}\}/g, EXPR)
    .replace(/\$\([^)]*\)/g, EXPR)
    .replace(/\$\{[^}]*\}/g, EXPR);
  return [...flat.matchAll(/dagger call\b([^`'"#|;\n)\\]*)/g)].map((m) => m[1].trim());
}

/** The problems of one `dagger call` argument line: an unknown function, an unknown flag. Empty when it resolves. */
export function checkCall(line: string, mod: ModuleShape): string[] {
  const ci = mod.objects.Ci;
  // A placeholder is one value however many words it holds (`--report <the exported E2E report directory>`).
  const joined = line.replace(/<[^<>\n]*>/g, (p) => p.replace(/\s+/g, "_"));
  const words = joined.split(/\s+/).filter((t) => t !== "" && t !== "...");
  // Source text may interpolate (`${x}` → EXPR): a word that is no value cannot be read there, so check up to it.
  const end = words.findIndex((w, k) => w === EXPR && (k === 0 || !words[k - 1].startsWith("-")));
  const tokens = end < 0 ? words : words.slice(0, end);
  // The constructor's flags go before the function (`dagger call --source ../app fast-tests`), the function's after.
  const i = takeFlags(tokens, 0, constructorArgs(ci), "the constructor", DAGGER_FLAGS);
  if (i.problems.length || i.next >= tokens.length) return i.problems;
  const name = tokens[i.next];
  const fn = Object.values(ci.methods).find((f) => toKebab(f.name) === name);
  if (!fn) return [`"${name}" is no function; the CLI has: ${Object.values(ci.methods).map((f) => toKebab(f.name))}`];
  const rest = takeFlags(tokens, i.next + 1, fn.arguments, name, DAGGER_FLAGS);
  if (rest.problems.length || rest.next >= tokens.length) return rest.problems;
  return checkChain(tokens.slice(rest.next), fn);
}

function checkChain(tokens: string[], fn: FunctionShape): string[] {
  const ret = (fn.returnType as { name?: string }).name ?? "";
  const flags = CORE_CHAINS[ret]?.[tokens[0]];
  if (!flags) return [`"${tokens[0]}" after ${toKebab(fn.name)} is no function of its ${ret || "scalar"} result`];
  const bad = tokens.slice(1).filter((t) => t.startsWith("-") && !HELP.has(t) && !flags.includes(t.replace(/^--/, "")));
  return bad.map((t) => `${t} is no flag of ${ret}.${tokens[0]}`);
}

/** Consume `--flag value` pairs of `args` from `start`; stop at the first word that is no flag or value. */
function takeFlags(
  tokens: string[],
  start: number,
  args: Args,
  where: string,
  extra: Record<string, boolean> = {},
): { next: number; problems: string[] } {
  const byFlag = new Map(Object.values(args).map((a) => [`--${toKebab(a.name)}`, a]));
  let i = start;
  while (i < tokens.length && tokens[i].startsWith("-")) {
    const [flag, inline] = tokens[i].split("=", 2);
    const arg = byFlag.get(flag);
    if (HELP.has(flag)) i += 1;
    else if (flag in extra) i += extra[flag] && inline === undefined ? 2 : 1;
    else if (!arg) return { next: i, problems: [`${flag} is no argument of ${where}`] };
    else i += inline !== undefined || (arg.type as { kind: string }).kind === "BOOLEAN_KIND" ? 1 : 2;
  }
  return { next: i, problems: [] };
}
