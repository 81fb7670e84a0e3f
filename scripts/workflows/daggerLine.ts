/**
 * The stand-in `dagger`'s reading of a real CLI line: `dagger [global flags] call [constructor flags] <function>
 * [function flags] [export --path P]`, as dagger/dagger-for-github word-splits it. Pure: no process, no file.
 */

/** One parsed `dagger call`: constructor flags apart from the function's, and the chained export if any. */
export interface DaggerCall {
  global: Record<string, string | true>;
  constructorFlags: Record<string, string>;
  fn: string;
  flags: Record<string, string | true>;
  exportPath?: string;
}

/** A line the stand-in cannot read or map: it refuses, naming what and what the real CLI would need. */
export class StandInRefusal extends Error {
  constructor(message: string) {
    super(`STAND-IN dagger refuses: ${message}`);
  }
}

/** Global flags that take a value (`--progress plain`, `-m ./ci`); the others are switches. */
const GLOBAL_WITH_VALUE = new Set(["--progress", "-m", "--mod", "--workdir"]);
const BOOLEAN_FLAGS = new Set(["--notify-success", "--dry-run", "--json", "--force"]);

/** Split `--name value` / `--name=value` pairs until a word that is not a flag; returns the rest. */
function flagsUntilWord(words: string[], booleans: Set<string>): [Record<string, string | true>, string[]] {
  const out: Record<string, string | true> = {};
  let i = 0;
  while (i < words.length && words[i].startsWith("-")) {
    const [name, inline] = words[i].split(/=(.*)/s, 2);
    if (inline !== undefined) out[name] = inline;
    else if (booleans.has(name) || i + 1 >= words.length || words[i + 1].startsWith("--")) out[name] = true;
    else out[name] = words[++i];
    i++;
  }
  return [out, words.slice(i)];
}

/** Parse argv after `dagger`; a line that is not `call <function>` is refused. */
export function parseDaggerLine(argv: string[]): DaggerCall {
  const global: Record<string, string | true> = {};
  let g = 0;
  for (; g < argv.length && argv[g].startsWith("-"); g++)
    global[argv[g]] = GLOBAL_WITH_VALUE.has(argv[g]) ? (argv[++g] ?? "") : true;
  if (argv[g] !== "call")
    throw new StandInRefusal(`only \`dagger call\` is forwarded, not \`dagger ${argv[g] ?? ""}\``);
  const [ctor, rest] = flagsUntilWord(argv.slice(g + 1), new Set());
  const [fn, ...tail] = rest;
  if (!fn) throw new StandInRefusal("`dagger call` without a function name");
  const exportAt = tail.indexOf("export");
  const [flags, leftover] = flagsUntilWord(exportAt < 0 ? tail : tail.slice(0, exportAt), BOOLEAN_FLAGS);
  if (leftover.length > 0) throw new StandInRefusal(`unexpected words after ${fn}'s flags: ${leftover.join(" ")}`);
  const call: DaggerCall = { global, constructorFlags: strings(ctor, "constructor"), fn, flags };
  if (exportAt >= 0) {
    const [ex, after] = flagsUntilWord(tail.slice(exportAt + 1), new Set());
    if (typeof ex["--path"] !== "string" || after.length > 0 || Object.keys(ex).length !== 1)
      throw new StandInRefusal(
        `only \`export --path P\` is forwarded after ${fn}, not: ${tail.slice(exportAt).join(" ")}`,
      );
    call.exportPath = ex["--path"];
  }
  return call;
}

function strings(f: Record<string, string | true>, where: string): Record<string, string> {
  for (const [k, v] of Object.entries(f)) if (v === true) throw new StandInRefusal(`${where} flag ${k} has no value`);
  return f as Record<string, string>;
}

/** A secret reference as the real CLI takes it: env://NAME or file://PATH are read; anything else is refused. */
export function secretSource(ref: string): { kind: "env"; name: string } | { kind: "file"; path: string } {
  const m = ref.match(/^(env|file):\/\/(.+)$/s);
  if (!m) {
    // Never echo the value: a plain one may be the secret itself.
    const shown = /^\w+:\/\//.test(ref) ? `a ${ref.split(":")[0]}:// reference` : "a plain value (not shown)";
    throw new StandInRefusal(
      `${shown} is not env://NAME or file://PATH; cmd://, op://, vault:// and plain values are not mapped`,
    );
  }
  return m[1] === "env" ? { kind: "env", name: m[2] } : { kind: "file", path: m[2] };
}
