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
  readSync,
  realpathSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { isInside } from "./cli/values";

/** Whether `path` is a regular file inside `root` (through no link out of it). */
export function isLeftFile(root: string, path: string): boolean {
  const real = realInside(root, path);
  return real !== undefined && lstatSync(real).isFile();
}

/**
 * The most of one file repository code left that the runner reads as text to parse (a merged results.json, a JUnit
 * file, a scan's or a quality check's output): far above what a real suite writes, below V8's longest string (512 MiB).
 */
export const MAX_LEFT_TEXT = 128 * 1024 * 1024;

/**
 * The text of the regular file `path` inside `root`, read up to `max` bytes: `text` undefined for a link out of it, a
 * FIFO, a folder or nothing; over `max`, `bytes` says how big it is instead (a file that large was a crash: a string
 * longer than V8's, or a buffer over 2 GiB, thrown past every report and record of the run).
 */
export function leftText(root: string, path: string, max = MAX_LEFT_TEXT): { text?: string; bytes?: number } {
  const fd = openLeft(root, path);
  if (fd === undefined) return {};
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (let n = readChunk(fd); n.length; n = readChunk(fd)) {
      total += n.length;
      // The bound is on what is read, not on what fstat says (a file can grow while it is read).
      if (total > max) return { bytes: Math.max(total, fstatSync(fd).size) };
      chunks.push(n);
    }
    return { text: Buffer.concat(chunks).toString("utf8") };
  } finally {
    closeSync(fd);
  }
}

/** leftText's text: undefined for what is no regular file of the folder, and for one over `max` bytes. */
export function readLeftText(root: string, path: string, max = MAX_LEFT_TEXT): string | undefined {
  return leftText(root, path, max).text;
}

/**
 * Copy the regular file `path` inside `root` to `dest`, a piece at a time (a blob zip or a trace can be gigabytes: read
 * whole, one over 2 GiB threw past the run's report and record), never through a link at `dest`. False when `path`
 * is no regular file of the folder.
 */
export function copyLeftFile(root: string, path: string, dest: string): boolean {
  const fd = openLeft(root, path);
  if (fd === undefined) return false;
  try {
    rmSync(dest, { force: true });
    const out = openSync(dest, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      for (let n = readChunk(fd); n.length; n = readChunk(fd)) writeSync(out, n);
    } finally {
      closeSync(out);
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/** An fd of the regular file `path` inside `root`, opened without following a link or blocking; else undefined. */
function openLeft(root: string, path: string): number | undefined {
  const real = realInside(root, path);
  if (real === undefined) return undefined;
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  if (fstatSync(fd).isFile()) return fd;
  closeSync(fd);
  return undefined;
}

const CHUNK = 1024 * 1024;

/** The next piece of an open file (empty at its end). */
function readChunk(fd: number): Buffer {
  const buf = Buffer.allocUnsafe(CHUNK);
  return buf.subarray(0, readSync(fd, buf, 0, CHUNK, null));
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
      else if (!st.isFile() || !copyLeftFile(root, join(src, p), join(dest, p))) skipped.push(p);
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
