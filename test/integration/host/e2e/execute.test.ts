import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { E2ePlan } from "../../../../ci/src/plan/e2e/stage";
import type { Job } from "../../../../ci/src/plan/job";
import { runPorts } from "../../../../scripts/host/e2e/execute";

/**
 * After the shards and pytest (repository code) end, the runner reads and copies what they left, outside the
 * sandbox. The eighth hostile run left a shard's blob zip as a link to a file of the runner's: the runner copied its
 * bytes into `.e2e/blobs`, where the merge step (the repository's own Playwright) read them; and a FIFO as the
 * backend's JUnit file, on which the runner's read blocked for ever (before the fix this test never ends).
 */
const job = (workdir: string, argv: string[]): Job =>
  ({ name: `e2e-${workdir}`, workdir, install: [], steps: [{ name: "step", argv }], env: {} }) as unknown as Job;

describe("the host runner's E2E ports, reading what repository code left", () => {
  let src: string;
  let secret: string;
  beforeAll(() => {
    src = mkdtempSync(join(tmpdir(), "e2e-left-"));
    for (const d of ["frontend", "backend"]) mkdirSync(join(src, d));
    secret = join(src, "runner-secret");
    writeFileSync(secret, "RUNNER-SECRET", { mode: 0o600 });
  });
  afterAll(() => rmSync(src, { recursive: true, force: true }));

  it("copies no shard blob that is a link: the merge step never gets the bytes it leads to", async () => {
    const fe = join(src, "frontend");
    const blobDir = join(fe, ".e2e/blob-1");
    mkdirSync(blobDir, { recursive: true });
    symlinkSync(secret, join(blobDir, "report-1.zip"));
    // Stands in for merge-reports: says what the gathered blob holds.
    const look = `const fs = require("fs"); let t = ""; try { t = fs.readFileSync(".e2e/blobs/report-1.zip", "utf8"); } catch {} fs.writeFileSync("seen.txt", t);`;
    const plan = {
      mergeJob: job("frontend", ["node", "-e", look]),
      backendJob: job("backend", ["true"]),
      shardJobs: [],
    } as unknown as E2ePlan;
    await runPorts(src, process.env).merge(plan, [blobDir]);
    expect(readFileSync(join(fe, "seen.txt"), "utf8")).not.toContain("RUNNER-SECRET");
  }, 30_000);

  it("returns when the backend's JUnit file is a FIFO or a link, without reading through it", async () => {
    for (const make of [`os.mkfifo("e2e-junit.xml")`, `os.symlink(${JSON.stringify(secret)}, "e2e-junit.xml")`]) {
      rmSync(join(src, "backend/e2e-junit.xml"), { force: true });
      const plan = {
        mergeJob: job("frontend", ["true"]),
        backendJob: job("backend", ["python3", "-c", `import os; ${make}`]),
        shardJobs: [],
      } as unknown as E2ePlan;
      const r = await runPorts(src, process.env).runBackend(plan);
      expect(r.exitCode).toBe(0);
      expect(r.junit).toBeUndefined();
    }
  }, 20_000);
});
