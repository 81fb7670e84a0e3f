import { execFileSync } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyLeftFile, copyLeftTree, isLeftFile, leftText, readLeftText } from "../../../scripts/host/leftFiles";

/**
 * What repository code left in its folders, read by the runner outside the sandbox: a link to a secret of the
 * runner's must not be followed (its bytes would land where repository code reads them, or in a report), and a FIFO
 * must not block the read for ever (the eighth hostile run).
 */
describe("reading what repository code left", () => {
  let root: string;
  let dir: string;
  let secret: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "left-files-"));
    dir = join(root, "frontend");
    mkdirSync(join(dir, "report/data"), { recursive: true });
    secret = join(root, "runner.env");
    writeFileSync(secret, "STAGING_SSH_KEY=secret\n", { mode: 0o600 });
    writeFileSync(join(dir, "report/index.html"), "<html>");
    writeFileSync(join(dir, "report/data/a.zip"), "zip");
    symlinkSync(secret, join(dir, "report/data/key.zip"));
    symlinkSync("index.html", join(dir, "report/same.html"));
    symlinkSync(root, join(dir, "report/up"));
    execFileSync("mkfifo", [join(dir, "report/results.json")]);
    symlinkSync(root, join(dir, "linked"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("takes a regular file of the folder, and nothing through a link out of it, a FIFO or a folder", () => {
    expect(readLeftText(dir, join(dir, "report/index.html"))).toBe("<html>");
    expect(readLeftText(dir, join(dir, "report/data/key.zip"))).toBeUndefined();
    // Returns at once: opened without blocking, then refused as no regular file.
    expect(readLeftText(dir, join(dir, "report/results.json"))).toBeUndefined();
    expect(readLeftText(dir, join(dir, "report"))).toBeUndefined();
    expect(readLeftText(dir, join(dir, "linked/runner.env"))).toBeUndefined();
    expect(readLeftText(dir, join(dir, "missing"))).toBeUndefined();
    expect(isLeftFile(dir, join(dir, "report/data/a.zip"))).toBe(true);
    expect(isLeftFile(dir, join(dir, "report/data/key.zip"))).toBe(false);
    expect(isLeftFile(dir, join(dir, "report/results.json"))).toBe(false);
  });

  it("copies a folder's files and folders, and leaves out its links and FIFOs, naming them", () => {
    const dest = join(root, "out");
    const skipped = copyLeftTree(join(dir, "report"), join(dir, "report"), dest);
    expect(skipped.sort()).toEqual(["data/key.zip", "results.json", "same.html", "up"]);
    expect(readFileSync(join(dest, "index.html"), "utf8")).toBe("<html>");
    expect(readFileSync(join(dest, "data/a.zip"), "utf8")).toBe("zip");
    // A folder that is itself a link out of the root copies nothing.
    expect(copyLeftTree(dir, join(dir, "linked"), join(root, "out2"))).toEqual(["."]);
  });
  // A merged results.json or a blob zip is as big as repository code makes it (h15e2e): read whole, a 600 MiB
  // results.json threw "Cannot create a string longer than 0x1fffffe8 characters" and a 2.2 GiB blob
  // ERR_FS_FILE_TOO_LARGE, past the run's report, record and notification, leaving the last run's green status.
  it("reads text only up to its bound, saying how big a bigger file is", () => {
    const huge = join(dir, "huge.json");
    writeFileSync(huge, "");
    truncateSync(huge, 600 * 1024 * 1024);
    try {
      expect(readLeftText(dir, huge)).toBeUndefined();
      expect(leftText(dir, huge)).toEqual({ bytes: 600 * 1024 * 1024 });
      expect(leftText(dir, join(dir, "report/index.html"), 3)).toEqual({ bytes: 6 });
      expect(leftText(dir, join(dir, "report/index.html"), 6)).toEqual({ text: "<html>" });
    } finally {
      rmSync(huge);
    }
  });

  it("copies one file a piece at a time, never a link or a FIFO, and never through a link at the destination", () => {
    const big = join(dir, "big.zip");
    writeFileSync(big, Buffer.alloc(3 * 1024 * 1024 + 7, 0x61));
    const mine = join(root, "runner-file");
    writeFileSync(mine, "the runner's own\n");
    const dest = join(root, "copied.zip");
    symlinkSync(mine, dest);
    expect(copyLeftFile(dir, big, dest)).toBe(true);
    expect(lstatSync(dest).isFile()).toBe(true);
    expect(readFileSync(dest).equals(readFileSync(big))).toBe(true);
    expect(readFileSync(mine, "utf8")).toBe("the runner's own\n");
    expect(copyLeftFile(dir, join(dir, "report/data/key.zip"), join(root, "key-copy"))).toBe(false);
    expect(copyLeftFile(dir, join(dir, "report/results.json"), join(root, "fifo-copy"))).toBe(false);
  });
});
