/**
 * Exec failures recognised without importing `ExecError` as a value: the SDK a module runs against in the engine
 * (sdk/typescript/runtime/tsutils/module/index.ts) does not export that class, so `instanceof ExecError` would fail
 * to load in `dagger call` while working in client mode. The SDK documents `code` as the way to identify its errors
 * programmatically ("D109" for ExecError, src/common/errors/errors-codes.ts), and both builds throw the same class.
 */
import type { ExecError } from "@dagger.io/dagger";

const EXEC_ERROR_CODE = "D109";

/** Whether `e` is the SDK's ExecError: an Error carrying its code and the exec's exit code and output. */
export function isExecError(e: unknown): e is ExecError {
  if (!(e instanceof Error)) return false;
  const x = e as Error & Partial<Record<"code" | "exitCode" | "stdout" | "stderr" | "cmd", unknown>>;
  return (
    x.code === EXEC_ERROR_CODE &&
    typeof x.exitCode === "number" &&
    typeof x.stdout === "string" &&
    typeof x.stderr === "string" &&
    Array.isArray(x.cmd)
  );
}
