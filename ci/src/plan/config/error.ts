import { InputError } from "../errors";
import { loggable } from "../triggers/commits";

/** How many characters of a value or key from the file an error shows before it cuts them. */
export const SHOWN_CHARS = 120;

/** Characters that draw nothing or reorder a line: zero-width ones, bidi controls, the BOM, a soft hyphen. */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;
/** The C1 controls, which JSON.stringify leaves as they are. */
const C1 = /[\u007f-\u009f]/g;
/** Anything outside printable ASCII. */
const NOT_ASCII = /[^\u0020-\u007e]/g;

const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** `text` cut to SHOWN_CHARS, and what to add after it saying it was cut. */
function cut(text: string): [string, string] {
  return text.length > SHOWN_CHARS ? [text.slice(0, SHOWN_CHARS), `… (${text.length} characters)`] : [text, ""];
}

/**
 * A value from the file as an error quotes it: a string in double quotes on one line (JSON's escapes), its C1
 * controls and invisible characters as `\uXXXX`, cut past SHOWN_CHARS saying how long it was; with `ascii`, for a
 * value only ASCII can match (a choice, a version, an image), every other character escaped too, so a look-alike
 * (Cyrillic `а` in `cаnary`) is seen. A number as String() writes it, anything else as JSON, likewise cut. Pure.
 */
export function shown(value: unknown, ascii = false): string {
  if (typeof value === "number" || value === undefined) return String(value);
  const [head, more] = cut(typeof value === "string" ? value : (JSON.stringify(value) ?? String(value)));
  const quoted = typeof value === "string" ? JSON.stringify(head) : head;
  return quoted.replace(ascii ? NOT_ASCII : INVISIBLE, escaped).replace(C1, escaped) + more;
}

/** ` (U+0430 is not an ASCII character)` for the first character of `value` outside ASCII, else "". Pure. */
export function notAscii(value: unknown): string {
  const c = typeof value === "string" ? /[^\p{ASCII}]/u.exec(value)?.[0] : undefined;
  if (c === undefined) return "";
  return ` (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} is not an ASCII character)`;
}

/** A key path as an error names it: every key the file may hold is ASCII, so any other character is escaped. */
function shownKey(key: string): string {
  const [head, more] = cut(key);
  return loggable(head.replace(NOT_ASCII, (c) => (c.charCodeAt(0) < 0x20 ? c : escaped(c)))) + more;
}

/**
 * A config that is wrong: names the file, the key and the fix. The message is one line whatever the file holds
 * (keys, values, names from the repository): the host prints it escaped line by line, but `dagger call` prints it as
 * it is, and a newline would start a line of its own (one a CI log reads `::error::` from).
 */
export class ConfigError extends InputError {
  constructor(
    readonly file: string,
    readonly key: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(loggable(`${file}: ${key ? `\`${shownKey(key)}\` ` : ""}${problem}. Fix: ${fix}`));
  }
}
