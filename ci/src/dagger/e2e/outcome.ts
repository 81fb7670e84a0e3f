/**
 * How the E2E containers ended, read so that a red shard never crashes the run: an exec killed outside the codes
 * `ReturnType.Any` covers (137 after an OOM kill) raises ExecError, and reading a path an exec never wrote fails.
 */
import type { Container, Directory } from "@dagger.io/dagger";
import { isExecError } from "../execError";

/** A container's exit code; `killed` when the engine raised ExecError instead (its outputs cannot be read). */
export async function settledExit(c: Container): Promise<{ code: number; killed: boolean }> {
  try {
    return { code: await c.exitCode(), killed: false };
  } catch (e) {
    if (isExecError(e)) return { code: e.exitCode, killed: true };
    throw e;
  }
}

/** Whether a directory an exec may never have created holds `name`; a missing directory holds nothing. */
export async function holds(dir: Directory, name: string): Promise<boolean> {
  return dir.entries().then(
    (names) => names.includes(name),
    () => false,
  );
}
