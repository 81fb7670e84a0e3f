import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyLeftTree, isLeftFile, readLeftText } from "../../../scripts/host/leftFiles";

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
});
