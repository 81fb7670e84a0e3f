import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPipeline } from "../../../support/cli";

const ROOT = resolve(import.meta.dirname, "../../../..");

/** `npm run pipeline -- end-to-end-verdict`: the verdict job's command on the host runner, over a written report. */
describe("end-to-end-verdict on the host runner", () => {
  const root = mkdtempSync(join(tmpdir(), "verdict-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const report = (name: string, status?: string) => {
    const d = mkdtempSync(join(root, `${name}-`));
    if (status !== undefined) writeFileSync(join(d, "status"), `${status}\n`);
    writeFileSync(join(d, "summary.txt"), `e2e (smoke): ${status}\nfailed: books page lists books\n`);
    return d;
  };

  it("passes a passed report and prints its summary", async () => {
    const r = await runPipeline(["end-to-end-verdict", "--report", report("green", "passed")]);
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringContaining("e2e (smoke): passed")]);
  }, 60_000);

  it("fails a failed report with exit 1, naming what failed", async () => {
    const r = await runPipeline(["end-to-end-verdict", "--report", report("red", "failed")]);
    expect([r.exitCode, r.stderr]).toEqual([1, expect.stringMatching(/E2E is red:[\s\S]*books page lists books/)]);
  }, 60_000);

  it("refuses a directory with no status with exit 2 and what --report must be", async () => {
    const r = await runPipeline(["end-to-end-verdict", "--report", report("none")]);
    expect([r.exitCode, r.stderr]).toEqual([
      2,
      expect.stringMatching(/no status file: --report must be the directory/),
    ]);
  }, 60_000);

  it("refuses a --report that is a file with exit 2", async () => {
    const file = join(root, "a-file");
    writeFileSync(file, "passed\n");
    const r = await runPipeline(["end-to-end-verdict", "--report", file]);
    expect([r.exitCode, r.stderr]).toEqual([2, expect.stringMatching(/no status file/)]);
  }, 60_000);

  it("reads a status that is a FIFO as no status (exit 2), instead of blocking for ever", () => {
    const d = report("fifo");
    execFileSync("mkfifo", [join(d, "status")]);
    const r = spawnSync(
      process.execPath,
      [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "scripts/pipeline.ts"), "end-to-end-verdict"].concat([
        "--report",
        d,
      ]),
      { cwd: ROOT, encoding: "utf8", timeout: 30_000 },
    );
    expect(r.error?.message, "blocked on the FIFO until killed").toBeUndefined();
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/no status file/)]);
  }, 60_000);
});
