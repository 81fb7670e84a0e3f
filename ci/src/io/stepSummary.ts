/**
 * Append to $GITHUB_STEP_SUMMARY without letting it end or stop the run: the variable can be set by hand to a folder,
 * or to a FIFO no one reads, where a plain append threw EISDIR or blocked the process for ever (a deploy's after its
 * unlock, its key copy still there).
 */
import { closeSync, constants, fstatSync, openSync, writeSync } from "node:fs";

/** Append `text` to the file at `path`; undefined when written, else why not (for a warning). */
export function appendStepSummary(path: string, text: string): string | undefined {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: opening a FIFO with no reader fails at once (ENXIO) instead of waiting for one.
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK, 0o644);
    const st = fstatSync(fd);
    if (st.isFIFO() || st.isSocket()) return `${path} is a ${st.isFIFO() ? "FIFO" : "socket"}, not a file`;
    writeSync(fd, text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
