import { randomUUID } from "node:crypto";
import type { Container } from "@dagger.io/dagger";

/**
 * The per-call input that keeps a persistent engine from replaying an exec: `@func({ cache: "never" })` only skips the
 * function cache, while a withExec with the same inputs is still served from the layer cache. Tests, posts and
 * reads of a server must run on every call; builds and installs before them keep caching.
 */
export const RUN_ID_VARIABLE = "PIPELINE_RUN_ID";

/** A fresh id for one function call. */
export function newRunId(): string {
  return randomUUID();
}

/** Set the call's run id; put it right before the exec that must re-run, so the layers before it still cache. */
export function withRunId(c: Container, runId: string): Container {
  return c.withEnvVariable(RUN_ID_VARIABLE, runId);
}
