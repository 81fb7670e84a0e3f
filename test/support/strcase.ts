/**
 * A port of iancoleman/strcase v0.3.0 `ToKebab` (snake.go `ToScreamingDelimited`), the function the Dagger CLI names
 * commands and flags with (`cmd/dagger/module_inspect.go` `cliName`, dagger v0.21.8 go.mod pins strcase v0.3.0).
 * It splits digits from letters: `e2e` → `e-2-e` (dagger/dagger#7276). Byte-wise, ASCII only, like the original.
 */
export function toKebab(s: string): string {
  return toDelimited(s, "-");
}

/** strcase `ToDelimited`: lower-case words joined by `delimiter`. */
export function toDelimited(s: string, delimiter: string): string {
  const str = s.trim();
  let n = "";
  for (let i = 0; i < str.length; i++) {
    const v = lower(str[i]);
    const next = str[i + 1];
    if (next !== undefined && boundary(str[i], next)) {
      if (isCap(str[i]) && isLow(next) && i > 0 && isCap(str[i - 1])) n += delimiter;
      n += v;
      if (isLow(str[i]) || isNum(str[i]) || isNum(next)) n += delimiter;
      continue;
    }
    n += " _-.".includes(v) ? delimiter : v;
  }
  return n;
}

/** The case type changes between v and next (capital, lower-case letter, digit). */
function boundary(v: string, next: string): boolean {
  return (
    (isCap(v) && (isLow(next) || isNum(next))) ||
    (isLow(v) && (isCap(next) || isNum(next))) ||
    (isNum(v) && (isCap(next) || isLow(next)))
  );
}

const isCap = (c: string) => c >= "A" && c <= "Z";
const isLow = (c: string) => c >= "a" && c <= "z";
const isNum = (c: string) => c >= "0" && c <= "9";
const lower = (c: string) => (isCap(c) ? c.toLowerCase() : c);
