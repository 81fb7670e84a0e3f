import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../../../scripts/host/services";
import { runPipeline } from "../../../support/cli";
import { copyExample } from "../../../support/example";

/**
 * Bad input to `npm run pipeline -- end-to-end` fails clearly (exit 2, one message naming the value
 * and the next command) before any browser starts: no shard ever wrote its `.e2e` folder.
 */
describe("e2e on bad input", () => {
  const copy = copyExample();
  const stateDir = mkdtempSync(join(tmpdir(), "e2e-faults-"));
  afterAll(() => copy.remove());
  const e2e = async (args: string[]) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    return runPipeline([
      "end-to-end",
      "--source",
      copy.dir,
      "--base-url",
      url,
      "--api-url",
      url,
      "--state-dir",
      stateDir,
      "--ready-attempts",
      "2",
      "--ready-interval",
      "0",
      ...args,
    ]);
  };
  const noBrowserRan = () => expect(existsSync(join(copy.dir, "frontend/.e2e"))).toBe(false);

  it.each([["0"], ["-1"], ["1.5"], ["four"]])("refuses --shards %s", async (n) => {
    const r = await e2e([`--shards=${n}`]);
    expect(r.exitCode, r.output).toBe(2);
    expect(r.stderr).toContain(
      `--shards ${n} is not a whole number from 1 to 64. Run e.g. \`npm run pipeline -- end-to-end --shards 4\``,
    );
    noBrowserRan();
  });

  it("clamps more shards than spec files with a warning (then stops here at the unreachable URL)", async () => {
    const r = await e2e(["--shards", "9"]);
    expect(r.stderr).toContain("warning: --shards 9 is more than the 5 spec files; using 5 shards, one file each");
    noBrowserRan();
  });

  it("names the URL and the last response when staging never becomes ready", async () => {
    const r = await e2e(["--shards", "2"]);
    // A staging that never answers is a stage failure (StageFailure, exit 1), not the caller's input.
    expect(r.exitCode, r.output).toBe(1);
    expect(r.stderr).toMatch(
      /http:\/\/127\.0\.0\.1:\d+ was not ready after 2 attempts; last response: ECONNREFUSED .*--ready-attempts/,
    );
    noBrowserRan();
  });

  it("refuses a malformed previous report given with --timings", async () => {
    const bad = join(stateDir, "bad.json");
    writeFileSync(bad, '{"suites": "nope"');
    const r = await e2e(["--timings", bad]);
    expect(r.exitCode, r.output).toBe(2);
    expect(r.stderr).toMatch(
      /bad\.json is not a Playwright JSON report \(invalid JSON: .*\)\. Pass the results\.json of a previous/,
    );
    noBrowserRan();
  });

  it("refuses an unknown suite and a lone --base-url", async () => {
    const r = await e2e(["--suite", "nightly"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--suite "nightly" is not one of: full, smoke/);
    const lone = await runPipeline([
      "end-to-end",
      "--source",
      copy.dir,
      "--base-url",
      "http://127.0.0.1:1",
      "--state-dir",
      stateDir,
    ]);
    expect(lone.exitCode).toBe(2);
    expect(lone.stderr).toMatch(/pass both --base-url and --api-url/);
    noBrowserRan();
  });

  it("refuses a short --commit and an unknown --record place", async () => {
    const short = await e2e(["--commit", "abc123"]);
    expect(short.exitCode).toBe(2);
    expect(short.stderr).toMatch(/--commit abc123 is not a full 40-hex sha\. Pass --commit \$\(git rev-parse HEAD\)/);
    const place = await e2e(["--record", "s3"]);
    expect(place.exitCode).toBe(2);
    expect(place.stderr).toMatch(/--record "s3" is not one of: auto, local, staging/);
    noBrowserRan();
  });
});
