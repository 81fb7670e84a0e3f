/**
 * Call a Ci function the way the CLI does, by argument name, so a test survives a renamed function or an argument
 * moved to the constructor: names are read from the compiled source (esbuild keeps parameter names).
 */
import type { Ci } from "../../ci/src/index";

type Named = Record<string, unknown>;

/** Run the first of `names` that Ci has, with `args` mapped onto its (and the constructor's) parameters by name. */
export async function callCi<T>(names: string[], args: Named): Promise<T> {
  const { Ci: Class } = await import("../../ci/src/index");
  const ctor = paramNames(Class.toString(), "constructor");
  const ci = new (Class as unknown as new (...a: unknown[]) => Ci)(...ctor.map((n) => args[n]));
  const name = names.find((n) => typeof (ci as unknown as Named)[n] === "function");
  if (!name) throw new Error(`Ci has none of ${names.join(", ")}`);
  const fn = (ci as unknown as Record<string, (...a: unknown[]) => Promise<T>>)[name];
  const params = paramNames(fn.toString(), name);
  const unknown = Object.keys(args).filter((k) => !params.includes(k) && !ctor.includes(k));
  if (unknown.length) throw new Error(`${name} takes no ${unknown.join(", ")} (it takes ${params.join(", ")})`);
  return fn.apply(
    ci,
    params.map((n) => args[n]),
  );
}

/** The parameter names of `name(...)` in a function's or class's source text; [] when it has none. */
export function paramNames(source: string, name: string): string[] {
  const at = source.search(new RegExp(`(^|[\\s;{}])(async\\s+)?${name}\\s*\\(`));
  if (at < 0) return [];
  const open = source.indexOf("(", at);
  let depth = 0;
  let part = "";
  const parts: string[] = [];
  for (const ch of source.slice(open + 1)) {
    if (depth === 0 && ch === ")") break;
    if ("([{".includes(ch)) depth++;
    if (")]}".includes(ch)) depth--;
    if (depth === 0 && ch === ",") {
      parts.push(part);
      part = "";
    } else part += ch;
  }
  parts.push(part);
  return parts.map((p) => /^\s*([A-Za-z_$][\w$]*)/.exec(p)?.[1]).filter((n): n is string => !!n);
}
