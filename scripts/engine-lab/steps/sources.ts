/**
 * The Directory arguments `dagger call` would upload from the decorators' defaultPath + ignore lists (ci/src/index.ts),
 * uploaded here with the same excludes: in client mode nothing applies the decorators.
 */
import { dag, type Directory } from "@dagger.io/dagger";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../../..");
const SECRETS = [".env", "**/.env", ".env.*", "**/.env.*", "**/*.pem", "**/.npmrc"];
const BUILD = ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__"];

/** `source`: the example app as fastTests/endToEnd/deploy* take it. */
export function appSource(path = "examples/app"): Directory {
  return dag.host().directory(resolve(ROOT, path), { exclude: [...BUILD, "**/.e2e", ".git", ...SECRETS] });
}

/** `repo` as deployStaging/rollback take it: scripts/ and ci/ are what the deploy container runs. */
export function deployRepo(): Directory {
  const skip = [".git", ".pipeline", ".tools", ".scratch", "examples", "test", "bench"];
  return dag.host().directory(ROOT, { exclude: [...BUILD, ...skip, ...SECRETS] });
}
