import { delimiter, resolve } from "node:path";

/** Project-local tools (the MongoDB stand-ins scripts/setup.sh builds) come first on PATH. */
export const TOOLS_BIN = resolve(import.meta.dirname, "../../.tools/bin");

/** The runner's own environment with the project-local tools first on PATH; repository commands get less (job.ts). */
export function runnerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, PATH: [TOOLS_BIN, env.PATH ?? ""].join(delimiter) };
}
