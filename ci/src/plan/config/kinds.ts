/** The kinds of value pipeline.yaml holds, as valibot schemas whose every message names the fix. */
import * as v from "valibot";
import { COMMAND_EXAMPLE, COMMAND_LINE, notACommand, usesShell } from "./command";
import { say } from "./issue";
import { RESERVED_KEYS } from "./yaml";
import { suggest } from "./suggest";
import { rangeOf, type Bound } from "../bounds";

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
    v.regex(re, (i) => say(`is ${JSON.stringify(i.input)}, not ${what}`, `write it like {name}: ${example}`)),
  );
}

/** A relative path that stays inside `base`. */
export function insidePath(example: string, base = "the repository root", outside = "the repository") {
  return v.pipe(
    text(example),
    v.regex(INSIDE, (i) =>
      say(`is ${JSON.stringify(i.input)}, outside ${outside}`, `use a path relative to ${base}, such as ${example}`),
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
    say(`is ${JSON.stringify(i.input)}`, `use ${options.join(" or ")}${suggest(String(i.input), options)}`),
  );
}

/** true or false. */
export function flag(example: boolean) {
  return v.boolean(say("must be true or false", `write it like {name}: ${example}`));
}

/** A list of non-empty strings. */
export function stringList(example: string) {
  const m = say("must be a list of strings", `write it like {name}: ${example}`);
  return v.array(v.pipe(v.string(m), v.nonEmpty(m)), m);
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
