/**
 * Reading and copying what repository code left in its folders (a shard's blob zip, a JUnit file, the merged
 * report), on the runner's side of the sandbox. Repository code could leave a link there to a file only the runner
 * may read (its .env, a key, ~/.config/gh/hosts.yml) or a FIFO that blocks the runner's read for ever: only a regular
 * file whose real path is inside the folder is taken, opened without following a link.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { isInside } from "./cli/values";

/** Whether `path` is a regular file inside `root` (through no link out of it). */
export function isLeftFile(root: string, path: string): boolean {
  const real = realInside(root, path);
  return real !== undefined && lstatSync(real).isFile();
}

/** The bytes of the regular file `path` inside `root`; undefined for a link out of it, a FIFO, a folder or nothing. */
export function readLeftFile(root: string, path: string): Buffer | undefined {
  const real = realInside(root, path);
  if (real === undefined) return undefined;
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd) : undefined;
  } finally {
    closeSync(fd);
  }
}

/** readLeftFile as text. */
export function readLeftText(root: string, path: string): string | undefined {
  return readLeftFile(root, path)?.toString("utf8");
}

/**
 * Copy the folder `src`, inside `root`, into `dest` (made if missing): its folders and regular files only; a link, a
 * FIFO or a device in it is left out, and so is all of `src` when it is not a folder inside `root`. Returns the paths
 * left out, relative to `src`.
 */
export function copyLeftTree(root: string, src: string, dest: string): string[] {
  const skipped: string[] = [];
  if (realInside(root, src) === undefined || !lstatSync(src).isDirectory()) return ["."];
  const walk = (rel: string) => {
    mkdirSync(join(dest, rel), { recursive: true });
    for (const name of readdirSync(join(src, rel))) {
      const p = join(rel, name);
      const st = lstatSync(join(src, p));
      if (st.isDirectory()) walk(p);
      else {
        const bytes = st.isFile() ? readLeftFile(root, join(src, p)) : undefined;
        if (bytes === undefined) skipped.push(p);
        else writeFileSync(join(dest, p), bytes);
      }
    }
  };
  walk("");
  return skipped;
}

function realInside(root: string, path: string): string | undefined {
  try {
    const real = realpathSync(path);
    return isInside(realpathSync(root), real) ? real : undefined;
  } catch {
    return undefined;
  }
}
