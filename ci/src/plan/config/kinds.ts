/** The kinds of value pipeline.yaml holds, as valibot schemas whose every message names the fix. */
import * as v from "valibot";
import { COMMAND_EXAMPLE, COMMAND_LINE, notACommand, usesShell } from "./command";
import { say } from "./issue";
import { notAscii, shown } from "./error";
import { RESERVED_KEYS } from "./yaml";
import { suggest } from "./suggest";
import { rangeOf, type Bound } from "../bounds";
import { hasCredentials, hideCredentials } from "../credentials";

type Said = { problem: string; fix: string };
const sayAs = (s: Said) => say(s.problem, s.fix);

/** Not absolute (`/x`, `\x`, `C:`), no `..` segment, no control characters. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const INSIDE = /^(?![/\\]|[A-Za-z]:)(?!(?:.*[/\\])?\.\.(?:[/\\]|$))[^\u0000-\u001f]+$/;
/** A name the environment can carry. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const isMapping = (x: unknown) => typeof x === "object" && x !== null && !Array.isArray(x);

/** A mapping with exactly these keys, each optional: an unknown key is refused with the known ones. */
export function section<const T extends v.ObjectEntries>(entries: T) {
  const keys = Object.keys(entries);
  return v.pipe(
    v.custom<Record<string, unknown>>(isMapping, say("must be a mapping", "indent the keys under {key}")),
    v.strictObject(entries, (issue) =>
      issue.expected === "never"
        ? say("is not a known key", `use one of: ${keys.join(", ")}${suggest(String(issue.input), keys)}`)
        : say("is missing", `add ${issue.expected}`),
    ),
  );
}

/** A section whose every key may be left out, to keep its default. */
export function settings<const T extends v.ObjectEntries>(entries: T) {
  const optional = Object.fromEntries(Object.entries(entries).map(([k, s]) => [k, v.optional(s)]));
  return section(optional as { [K in keyof T]: v.OptionalSchema<T[K], undefined> });
}

/** A non-empty string; `example` is how the fix writes one. */
export function text(example: string) {
  const m = say("must be a non-empty string", `write it like {name}: ${example}`);
  return v.pipe(v.string(m), v.nonEmpty(m));
}

/** A non-empty string matching `re`; `what` says what it must look like. */
export function matching(re: RegExp, example: string, what: string) {
  return v.pipe(
    text(example),
    v.regex(re, (i) =>
      say(`is ${shown(i.input, true)}, not ${what}${notAscii(i.input)}`, `write it like {name}: ${example}`),
    ),
  );
}

/**
 * An http(s) URL without credentials: a `user:token@` in pipeline.yaml is committed with the repository and would be
 * printed with every command that uses it, so it is refused, and messages show the URL without it.
 */
export function httpUrl(example: string) {
  const fix = `write it like {name}: ${example}`;
  const credentials = say(
    "carries credentials (user:token@ in the URL), which pipeline.yaml would commit and each log would show",
    `${fix}, and give the token through the runner's own npm or pip configuration (~/.npmrc, pip.conf)`,
  );
  // One pattern (editors' JSON Schema takes one per string): no `user:token@` anywhere, then an http(s) URL.
  return v.pipe(
    text(example),
    v.regex(/^(?!.*:[/\\]{2}[^\s/\\?#@]*@)https?:\/\/[^\s/\\]+\S*$/, (i) =>
      hasCredentials(i.input) ? credentials : say(`is ${shown(hideCredentials(i.input))}, not an http(s) URL`, fix),
    ),
  );
}

/** A relative path that stays inside `base`. */
export function insidePath(example: string, base = "the repository root", outside = "the repository") {
  return v.pipe(
    text(example),
    v.regex(INSIDE, (i) =>
      say(`is ${shown(i.input)}, outside ${outside}`, `use a path relative to ${base}, such as ${example}`),
    ),
    v.description(`a path relative to ${base}, without .. segments, such as ${example}`),
  );
}

const rangeFix = (b: Bound) => `use ${rangeOf(b)}, such as ${b.example}`;

/** A number within one of plan/bounds.ts's bounds; every refusal names the bound as the flags' messages do. */
export function bounded(b: Bound) {
  const fail = (why: string) => (i: { input: unknown }) => say(`is ${String(i.input)}; it ${why}`, rangeFix(b));
  const number = v.number(say("must be a number", `write it like {name}: ${b.example}`));
  const whole = v.pipe(
    number,
    v.integer((i) => say(`is ${String(i.input)}, not a whole number`, rangeFix(b))),
  );
  const kind = b.whole ? whole : number;
  const max = v.maxValue<number, number, ReturnType<typeof fail>>(b.max, fail(`must be at most ${b.max}`));
  const described = v.description<number, string>(`${rangeOf(b)}, such as ${b.example}`);
  return b.aboveMin
    ? v.pipe(kind, v.gtValue(b.min, fail(`must be more than ${b.min}`)), max, described)
    : v.pipe(kind, v.minValue(b.min, fail(`must be at least ${b.min}`)), max, described);
}

/** A bound that has no flag of the same meaning, declared where its key is: a whole number, as `bounded` checks it. */
export function whole(b: Omit<Bound, "whole" | "unit"> & { unit?: string }) {
  return bounded({ unit: "a whole number", ...b, whole: true });
}

/** A bound that has no flag of the same meaning, declared where its key is: any number, as `bounded` checks it. */
export function amount(b: Omit<Bound, "whole">) {
  return bounded({ ...b, whole: false });
}

/** One of `options`, with the closest one suggested. */
export function oneOf<const T extends readonly [string, ...string[]]>(options: T) {
  return v.picklist(options, (i) =>
    say(
      `is ${shown(i.input, true)}${notAscii(i.input)}`,
      `use ${options.join(" or ")}${suggest(String(i.input), options)}`,
    ),
  );
}

/** true or false. */
export function flag(example: boolean) {
  return v.boolean(say("must be true or false", `write it like {name}: ${example}`));
}

/** How many entries a list may hold, and how long each may be: every one can end up in one argument of a command. */
export const LIST_BOUND = { entries: 200, chars: 1000 };

/**
 * A list of non-empty strings, each one line of plain text, bounded: one argument holds them all at most (bandit's
 * `-x a,b,…`), so 20,000 entries would overflow it, and a control character would drive the terminal it is echoed to.
 */
export function stringList(example: string) {
  const fix = `write it like {name}: ${example}`;
  const m = say("must be a list of strings", fix);
  const entry = v.pipe(
    v.string(m),
    v.nonEmpty(m),
    v.maxLength(LIST_BOUND.chars, say(`holds an entry over ${LIST_BOUND.chars} characters`, fix)),
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    v.regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, say("holds an entry with control characters", fix)),
  );
  return v.pipe(
    v.array(entry, m),
    v.maxLength(LIST_BOUND.entries, (i) =>
      say(
        `holds ${i.input.length} entries, more than ${LIST_BOUND.entries}`,
        `keep the ${LIST_BOUND.entries} that matter; ${fix}`,
      ),
    ),
  );
}

/** A command: a string without shell syntax, or a non-empty argv list. */
function commandLine() {
  const m = sayAs(notACommand);
  return v.union(
    [
      v.pipe(
        v.string(m),
        v.regex(COMMAND_LINE, (i) => (i.input.trim() ? sayAs(usesShell(i.input)) : m)),
      ),
      v.pipe(v.array(v.pipe(v.string(m), v.nonEmpty(m)), m), v.minLength(1, m)),
    ],
    m,
  );
}

/** A command, described for editors: how it is split and that no shell runs it. */
export function command() {
  return v.pipe(
    commandLine(),
    v.description(`a command, run without a shell: a string split on spaces, or an argv list (${COMMAND_EXAMPLE})`),
  );
}

/** A key of an open mapping: matching `re`, and none of the names every JavaScript object has (yaml.ts). */
export function keyName(re: RegExp, problem: string, fix: string) {
  return v.pipe(
    v.string(),
    v.regex(re, say(problem, fix)),
    v.notValues(RESERVED_KEYS, say("is a name every JavaScript object already has", "rename it")),
  );
}

/** A mapping whose keys `key` checks and whose values `value` checks. */
export function mapOf<K extends v.GenericSchema<string, string>, V extends v.GenericSchema>(
  key: K,
  value: V,
  what: Said,
) {
  return v.pipe(v.custom<Record<string, unknown>>(isMapping, sayAs(what)), v.record(key, value, sayAs(what)));
}

/** Environment variables: name → value (any string, empty included). */
export function envMap() {
  const name = keyName(VARIABLE_NAME, "is not a variable name", "use letters, digits and _, like NODE_ENV");
  return mapOf(name, v.string(say("must be a quoted string", 'write it like {name}: "value"')), {
    problem: "must be a mapping of names to quoted strings",
    fix: "write it like {name}: { NAME: value }",
  });
}

/** Named steps, in order: name → command. */
export function commandMap() {
  const what = {
    problem: "must be a non-empty mapping of step names to commands",
    fix: 'write it like {name}: { lint: "npm run lint" }',
  };
  const name = keyName(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/,
    "is not a step name",
    "use letters, digits, -, _ and ., like lint",
  );

  return v.pipe(mapOf(name, command(), what), v.minEntries(1, sayAs(what)));
}
