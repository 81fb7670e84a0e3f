/**
 * Call a Ci function the way the module runtime does: arguments by name, put in the order the SDK's introspector
 * gives (`loadArgs` walks `getArgsOrder()`, then the executor spreads `Object.values`), constructor arguments to
 * `new Ci(...)`, the rest to the function. A name neither takes is an error, so a test cannot pass an argument that
 * silently goes nowhere.
 */
import type { Ci } from "../../ci/src/index";
import { constructorArgs, introspectModule, type FunctionShape, type ModuleShape } from "./introspect";

type Named = Record<string, unknown>;

/** The names of Ci's functions (its methods; the constructor's inputs are fields, not functions). */
export type CiFunction = { [K in keyof Ci]: Ci[K] extends (...a: never[]) => unknown ? K : never }[keyof Ci];

let scanned: Promise<ModuleShape> | undefined;

/** The introspector's view of the module, scanned once per test file. */
export function ciShape(): Promise<ModuleShape> {
  scanned ??= introspectModule();
  return scanned;
}

/** Run Ci's function `name` with `args` split between the constructor and the function by the introspector. */
export async function callCi<T>(name: CiFunction, args: Named): Promise<T> {
  const shape = (await ciShape()).objects.Ci;
  const fn = shape.methods[name];
  if (!fn) throw new Error(`Ci has no function ${name}; it has ${Object.keys(shape.methods).join(", ")}`);
  const ctor = { arguments: constructorArgs(shape) };
  const unknown = Object.keys(args).filter((k) => !(k in fn.arguments) && !(k in ctor.arguments));
  if (unknown.length) throw new Error(`${name} takes no ${unknown.join(", ")}`);
  const { Ci: Class } = await import("../../ci/src/index");
  const ci = new (Class as unknown as new (...a: unknown[]) => Ci)(...positional(ctor, args));
  const method = (ci as unknown as Record<string, (...a: unknown[]) => Promise<T>>)[name];
  return method.apply(ci, positional(fn, args));
}

function positional(fn: Pick<FunctionShape, "arguments">, args: Named): unknown[] {
  return Object.keys(fn.arguments).map((n) => args[n]);
}
