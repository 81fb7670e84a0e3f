/**
 * Flag value parsers: each checks one value the moment commander reads it, before any command
 * runs, and throws CliInputError naming the flag, what it got and what to pass instead.
 */
import { existsSync, realpathSync, statSync, type Stats } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { BOUNDS, outOfBound, rangeOf, type Bound, type BoundName } from "../../../ci/src/plan/bounds";
import { hasCredentials, hideCredentials } from "../../../ci/src/plan/credentials";
import { printable } from "../../../ci/src/plan/triggers/commits";
import { CliInputError } from "./errors";

/** One of `allowed`, exactly (no prefix, no case folding: `prodution` is not `production`). */
export function oneOf<T extends string>(flag: string, allowed: readonly T[]): (v: string) => T {
  return (v) => {
    if ((allowed as readonly string[]).includes(v)) return v as T;
    const near = allowed.find((a) => editDistance(a, v.toLowerCase()) <= 2);
    throw new CliInputError(
      `${flag} ${JSON.stringify(v)} is not one of: ${allowed.join(", ")}; ` +
        (near ? `did you mean ${flag} ${near}?` : `pass e.g. ${flag} ${allowed[0]}`),
    );
  };
}

/** Levenshtein distance, for the did-you-mean of a mistyped value. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** Text that says something: not empty, not only blanks, one line of plain text (a reason someone must read later). */
export function nonBlank(flag: string, example: string): (v: string) => string {
  const plain = plainText(flag, example);
  return (v) => {
    if (v.trim()) return plain(v);
    throw new CliInputError(`${flag} ${JSON.stringify(v)} is empty; say why: ${flag} ${JSON.stringify(example)}`);
  };
}

/**
 * One line without control characters (C0, DEL, C1) or bidirectional overrides: a branch, a ref, a path or a reason
 * is echoed to terminals, logs and alerts, where an escape sequence would clear, retitle or recolour them.
 */
export function plainText(flag: string, example: string): (v: string) => string {
  return (v) => {
    if (printable(v) === v) return v;
    throw new CliInputError(
      `${flag} "${printable(v)}" holds control characters (a newline or an escape sequence); pass one line of plain text, e.g. ${flag} ${example}`,
    );
  };
}

/**
 * A number written in digits within the bound `name` of ci/src/plan/bounds.ts, the one pipeline.yaml's key of the same
 * meaning has: the flag and the key refuse the same values, naming the same range.
 */
export function bounded(flag: string, name: BoundName): (v: string) => number {
  const b: Bound = BOUNDS[name];
  const digits = b.whole ? /^[0-9]{1,9}$/ : /^[0-9]{1,9}(\.[0-9]{1,3})?$/;
  return (v) => {
    const n = digits.test(v) ? Number(v) : NaN;
    if (outOfBound(b, n) === undefined) return n;
    throw new CliInputError(`${flag} ${JSON.stringify(v)} is not ${rangeOf(b)}; pass e.g. ${flag} ${b.example}`);
  };
}

/**
 * An absolute http(s) URL without credentials: a `user:token@` would be echoed by every line that names the URL (and
 * fetch refuses such a URL anyway); messages show it as `***@`.
 */
export function httpUrl(flag: string): (v: string) => string {
  return (v) => {
    if (hasCredentials(v))
      throw new CliInputError(
        `${flag} carries credentials (user:token@ in the URL); pass the URL without them, e.g. ${flag} ${printable(hideCredentials(v)).replace("***@", "")}`,
      );
    const u = URL.canParse(v) ? new URL(v) : undefined;
    if (u && (u.protocol === "http:" || u.protocol === "https:")) return v;
    throw new CliInputError(
      `${flag} ${JSON.stringify(v)} is not an http(s) URL; pass e.g. ${flag} https://staging.example.com`,
    );
  };
}

/** A path that exists and is a `kind`, resolved through symlinks. */
export function existing(flag: string, kind: "file" | "directory"): (v: string) => string {
  return (v) => {
    const real = realOf(flag, v);
    const st = statSync(real);
    const isDir = st.isDirectory();
    if (!isDir && kind === "file") regularFile(flag, v, st);
    if (isDir !== (kind === "directory"))
      throw new CliInputError(
        `${flag} ${shown(v)} is a ${isDir ? "directory" : "file"}; pass the path of a ${kind}${kind === "file" ? `, e.g. ${flag} ${shown(v)}/<name>` : ""}`,
      );
    return real;
  };
}

/** Where a command will write: absent (it is created), or already a `kind`; resolved to an absolute path. */
export function writable(flag: string, kind: "file" | "directory"): (v: string) => string {
  return (v) => {
    const path = resolve(givenPath(flag, v));
    if (!existsSync(path)) return path;
    const st = statSync(path);
    const isDir = st.isDirectory();
    if (!isDir && kind === "file") regularFile(flag, v, st);
    if (isDir === (kind === "directory")) return path;
    throw new CliInputError(
      `${flag} ${shown(v)} is a ${isDir ? "directory" : "file"}, and the command writes a ${kind} there; pass another path`,
    );
  };
}

/**
 * Refuse a FIFO, a device or a socket where a file is read or written: a FIFO nobody writes (or reads) blocks the
 * run for ever, and `/dev/zero` never ends. A process substitution (`<(cmd)`) is a pipe too: save its output to a
 * file first.
 */
function regularFile(flag: string, v: string, st: Stats): void {
  if (st.isFile()) return;
  const what = st.isFIFO() ? "a FIFO" : st.isSocket() ? "a socket" : "a device";
  throw new CliInputError(`${flag} ${shown(v)} is not a regular file (${what}); pass a file's path`);
}

/**
 * A path as messages print it: its control characters (a newline too) written as escapes, so a path with a newline
 * cannot split the one-line error nor one with an escape sequence drive the terminal.
 */
export const shown = (path: string): string => printable(path);

/** Marks a flag parser as one of a repeatable flag: the program takes its flag more than once (cli/program.ts). */
export const REPEATABLE = Symbol("repeatable");

/** Whether `parse` is a repeatable flag's parser (collect, collectOnce). */
export const isRepeatable = (parse: unknown): boolean =>
  typeof parse === "function" && (parse as { [REPEATABLE]?: boolean })[REPEATABLE] === true;

const repeatable = <F extends object>(f: F): F => Object.assign(f, { [REPEATABLE]: true });

/** Each use of a repeatable flag adds one more value. */
export function collect<T>(parse: (v: string) => T): (v: string, previous: T[] | undefined) => T[] {
  return repeatable((v: string, previous: T[] | undefined) => [...(previous ?? []), parse(v)]);
}

/**
 * collect for a repeatable path flag whose `parse` gives the real path: the same file given twice (as typed, or once
 * through a link) is an input error, as it would be read twice (a release log's rollbacks counted twice).
 */
export function collectOnce(
  flag: string,
  what: string,
  parse: (v: string) => string,
): (v: string, previous?: string[]) => string[] {
  return repeatable((v: string, previous: string[] = []) => {
    const real = parse(v);
    if (previous.includes(real))
      throw new CliInputError(
        `${flag} ${shown(v)} is given twice (the same file as ${flag} ${shown(real)}); pass each ${what} once`,
      );
    return [...previous, real];
  });
}

/** `path` resolved through every symlink; CliInputError when nothing is there. */
export function realOf(flag: string, path: string): string {
  givenPath(flag, path);
  try {
    return realpathSync(resolve(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOENT")
      throw new CliInputError(`${flag} ${shown(path)} cannot be resolved (${code}); pass a readable path`);
    throw new CliInputError(
      `${flag} ${shown(path)} does not exist (looked for ${shown(resolve(path))}); pass an existing path`,
    );
  }
}

/**
 * `path` when it names something: an empty one (`--source "$APP"` with APP unset) would resolve to the current
 * folder and act on it unasked.
 */
export function givenPath(flag: string, path: string): string {
  if (path.trim()) return path;
  throw new CliInputError(`${flag} ${JSON.stringify(path)} is empty (an unset variable?); pass a path`);
}

/** True when `path` (already real) is `root` or inside it. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
