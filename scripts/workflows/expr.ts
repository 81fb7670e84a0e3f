/**
 * A model of GitHub Actions' expression language, for what the workflows compute before any job runs (a workflow's
 * `concurrency.group`, a job's `env:`): literals, context paths, `!`, `==`, `!=`, `&&`, `||`, parentheses and the
 * functions `format`, `toJSON`, `fromJSON`, `startsWith`. As GitHub does: `&&` and `||` return an operand (not a
 * boolean), a missing context value is null, and `==` compares strings ignoring case.
 */
export type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

const TOKEN = /\s*(?:('(?:[^']|'')*')|(\d+(?:\.\d+)?)|(==|!=|&&|\|\||[!(),])|([A-Za-z_][\w-]*(?:\.[\w-]+)*))/y;

const truthy = (v: Value): boolean => !(v === null || v === false || v === 0 || v === "" || Number.isNaN(v));

function equal(a: Value, b: Value): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b) return a === b;
  const num = (v: Value) =>
    v === null
      ? 0
      : typeof v === "boolean"
        ? Number(v)
        : typeof v === "string"
          ? v.trim() === ""
            ? 0
            : Number(v)
          : NaN;
  return num(a) === num(b);
}

function str(v: Value): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

const FUNCTIONS: Record<string, (...a: Value[]) => Value> = {
  // {{ and }} are escaped braces; {N} is the Nth argument after the format string.
  format: (f, ...args) =>
    str(f).replace(/\{\{|\}\}|\{(\d+)\}/g, (m, i?: string) => (i === undefined ? m[0] : str(args[Number(i)] ?? null))),
  tojson: (v) => JSON.stringify(v, null, 2),
  fromjson: (v) => JSON.parse(str(v)) as Value,
  startswith: (a, b) => str(a).toLowerCase().startsWith(str(b).toLowerCase()),
};

/** Evaluates the expression `src` (without `${{ }}`) with the context values in `ctx`, keyed by their full path. */
export function evaluate(src: string, ctx: Record<string, Value | undefined>): Value {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) throw new Error(`cannot read the expression at ${at}: ${src.slice(at)}`);
    tokens.push(m[0].trim());
  }
  let i = 0;
  const peek = () => tokens[i];
  const take = (t?: string) => {
    if (t !== undefined && tokens[i] !== t) throw new Error(`expected ${t} at token ${i} of ${src}`);
    return tokens[i++];
  };
  const or = (): Value => {
    let v = and();
    while (peek() === "||") {
      take();
      const r = and();
      v = truthy(v) ? v : r;
    }
    return v;
  };
  const and = (): Value => {
    let v = cmp();
    while (peek() === "&&") {
      take();
      const r = cmp();
      v = truthy(v) ? r : v;
    }
    return v;
  };
  const cmp = (): Value => {
    let v = unary();
    while (peek() === "==" || peek() === "!=") {
      const op = take();
      const r = unary();
      v = op === "==" ? equal(v, r) : !equal(v, r);
    }
    return v;
  };
  const unary = (): Value => {
    if (peek() === "!") {
      take();
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): Value => {
    const t = take();
    if (t === undefined) throw new Error(`unexpected end of ${src}`);
    if (t === "(") {
      const v = or();
      take(")");
      return v;
    }
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (/^\d/.test(t)) return Number(t);
    if (t === "true" || t === "false") return t === "true";
    if (t === "null") return null;
    if (peek() === "(") {
      const fn = FUNCTIONS[t.toLowerCase()];
      if (!fn) throw new Error(`unknown function ${t} in ${src}`);
      take("(");
      const args: Value[] = [];
      while (peek() !== ")") {
        args.push(or());
        if (peek() === ",") take(",");
      }
      take(")");
      return fn(...args);
    }
    return ctx[t] ?? null;
  };
  const v = or();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]} in ${src}`);
  return v;
}

/** A YAML value holding one `${{ }}` expression (and nothing else) evaluated, or text with each one filled in. */
export function interpolate(text: string, ctx: Record<string, Value | undefined>): Value {
  const whole = /^\$\{\{\s*([\s\S]+?)\s*\}\}$/.exec(text.trim());
  if (whole) return evaluate(whole[1], ctx);
  return text.replace(/\$\{\{\s*([\s\S]+?)\s*\}\}/g, (_, e: string) => str(evaluate(e, ctx)));
}
