/**
 * What `dagger call` would construct Ci with: the Directory arguments uploaded from the constructor's defaultPath,
 * with its very ignore lists (ci/src/index.ts), since in client mode nothing applies the decorators.
 */
import { dag, type Directory } from "@dagger.io/dagger";
import { resolve } from "node:path";
import { Ci, REPO_IGNORE, SOURCE_IGNORE } from "../../../ci/src/index";

export const ROOT = resolve(import.meta.dirname, "../../..");

/** `--source`: the example app, or another app directory. */
export function appSource(path = "examples/app"): Directory {
  return dag.host().directory(resolve(ROOT, path), { exclude: SOURCE_IGNORE });
}

/** `--repo`: this repository with its .git, as every function takes it. */
export function labRepo(): Directory {
  return dag.host().directory(ROOT, { exclude: REPO_IGNORE });
}

/** `dagger call [--source DIR] ...`: Ci on the given source (the example app by default) and this repository. */
export function labCi(source: Directory = appSource()): Ci {
  return new Ci(source, labRepo());
}
