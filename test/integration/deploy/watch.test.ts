import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { READ_ACCESS_LOG } from "../../../scripts/deploy/watch";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Run the poll under the deploy's `set -euo pipefail`, with a `stat` that reports the log smaller than it is. */
function poll(log: string, offset: number, statSize: number) {
  const dir = mkdtempSync(join(tmpdir(), "watch-read-"));
  dirs.push(dir);
  // nginx appending between the stat and the read, made deterministic: the shim's size lags the file's.
  writeFileSync(join(dir, "stat"), `#!/bin/sh\necho ${statSize}\n`);
  chmodSync(join(dir, "stat"), 0o755);
  const script = `set -euo pipefail\n${READ_ACCESS_LOG}`;
  return spawnSync("bash", ["-c", script, "poll", log, String(offset)], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
  });
}

describe("READ_ACCESS_LOG", () => {
  it("returns exactly the bytes up to the stat'ed size while the log keeps growing, and exits 0", () => {
    const dir = mkdtempSync(join(tmpdir(), "watch-log-"));
    dirs.push(dir);
    const log = join(dir, "access.log");
    const line = "1796408177.161 200 0.015 20261204T181543Z-4444444\n";
    // Far more than a pipe buffer appended "after" the stat, so a reader that stops early would kill its writer.
    writeFileSync(log, line.repeat(20_000));
    const size = line.length * 100;
    const r = poll(log, line.length * 10, size);
    expect(r.status, r.stderr).toBe(0);
    const [head, ...rest] = r.stdout.split("\n");
    expect(head.split(" ").slice(0, 2)).toEqual([String(size), String(line.length * 10)]);
    expect(rest.join("\n")).toBe(line.repeat(90));
  });
});
