/** The host side of `init` (mirrors ci/src/dagger/init.ts): list the source, read what it wants, write the file. */
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { CONFIG_FILE } from "../../ci/src/plan/config/defaults";
import { INIT_SKIP, initWanted, planInit, type InitResult } from "../../ci/src/plan/config/init";
import { InputError } from "../../ci/src/plan/errors";
import { SCHEMA_FILE } from "./pipelineSchema";
import { printable as shown } from "../../ci/src/plan/triggers/commits";

/** Every file under `dir`, relative and `/`-separated, skipping dependency and build folders. */
export function listSource(dir: string, root = dir, depth = 0): string[] {
  if (depth > 5) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (INIT_SKIP.includes(e.name)) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return listSource(path, root, depth + 1);
    return e.isFile() ? [relative(root, path).split("\\").join("/")] : [];
  });
}

/** Guess `sourceDir`'s pipeline.yaml and write it (never over an existing one unless `force`). */
export function runInit(sourceDir: string, opts: { force?: boolean; out?: string } = {}): InitResult {
  const target = join(sourceDir, opts.out ?? CONFIG_FILE);
  const link = lstatSync(target, { throwIfNoEntry: false });
  // Writing through a link (even a dangling one) would put the file wherever the repository's link points.
  if (link?.isSymbolicLink())
    throw new InputError(
      `${shown(target)} is a symbolic link (to ${shown(readlinkSync(target))}); init writes a regular file: remove the link and run init again`,
    );
  // A FIFO would block the write for ever, waiting for a reader; a folder fails it.
  if (link && !link.isFile())
    throw new InputError(
      `${shown(target)} is not a regular file (${link.isFIFO() ? "a FIFO" : link.isDirectory() ? "a folder" : "a device or a socket"}); remove it and run init again`,
    );
  if (existsSync(target) && !opts.force) {
    throw new InputError(
      `${shown(target)} exists already; move it away, or run: npm run pipeline -- init --source ${sourceDir} --force`,
    );
  }
  const paths = listSource(sourceDir);
  const read = Object.fromEntries(initWanted(paths).map((p) => [p, readFileSync(join(sourceDir, p), "utf8")]));
  const schemaRef = relative(resolve(sourceDir), SCHEMA_FILE).split("\\").join("/");
  const result = planInit({ paths, read, schemaRef }, sourceDir);
  writeFileSync(target, result.yaml);
  return result;
}
