import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { parseReport, reportedTests } from "../../../../ci/src/plan/e2e/playwrightReport";
import { startLocalApp, type LocalApp } from "../../../../scripts/host/exampleApp";
import { TOOLS_BIN } from "../../../../scripts/host/stage";
import { arrivedBlobNames } from "../../../../scripts/host/e2e/split";
import { runPipeline } from "../../../support/cli";
import { linkFrontendDeps } from "../../../support/e2eFixtures";
import { copyExample } from "../../../support/example";

const SHA = "2222222222222222222222222222222222222222";
const env = {
  ...process.env,
  PATH: [TOOLS_BIN, process.env.PATH].join(delimiter),
  SLACK_WEBHOOK_URL: "",
  DISCORD_WEBHOOK_URL: "",
};

/**
 * `e2e-shard` and `e2e-merge` as separate machines run them: each shard in its own copy of the
 * source with its own output dir, only the blob zips moved to the merge's machine. The merged
 * test set must be the one a single `e2e --shards 2` run reports.
 */
describe("e2e-shard on separate machines, then e2e-merge", () => {
  const app = copyExample();
  const machines = [copyExample(), copyExample()];
  let running: LocalApp;
  const tmp = () => mkdtempSync(join(tmpdir(), "e2e-split-"));
  const urls = () => ["--base-url", running.baseUrl, "--api-url", running.apiUrl];
  const testIds = (stateDir: string) =>
    reportedTests(parseReport(readFileSync(join(stateDir, "e2e-report/results.json"), "utf8")))
      .map((t) => `${t.file} › ${t.title}`)
      .sort();

  beforeAll(async () => {
    for (const m of [app, ...machines]) linkFrontendDeps(m.dir);
    running = await startLocalApp(app.dir, parseConfig(undefined), env, () => {});
  }, 240_000);
  afterAll(async () => {
    await running?.stop();
    for (const m of [app, ...machines]) m.remove();
  });

  it("merges the blobs of 2 shard processes into the test set of one e2e --shards 2 run; a missing blob is named", async () => {
    const outs = [tmp(), tmp()];
    const shards = await Promise.all(
      machines.map((m, i) =>
        runPipeline(
          [
            "end-to-end-shard",
            "--index",
            String(i + 1),
            "--total",
            "2",
            "--suite",
            "full",
            "--source",
            m.dir,
            "--out",
            outs[i],
            ...urls(),
          ],
          env,
        ),
      ),
    );
    shards.forEach((r) => expect(r.exitCode, r.output).toBe(0));
    expect(outs.map((o) => readdirSync(o))).toEqual([["report-1.zip"], ["report-2.zip"]]);

    const blobs = tmp();
    outs.forEach((o, i) => copyFileSync(join(o, `report-${i + 1}.zip`), join(blobs, `report-${i + 1}.zip`)));
    const mergeState = tmp();
    const merge = await runPipeline(
      [
        "end-to-end-merge",
        "--blobs",
        blobs,
        "--total",
        "2",
        "--suite",
        "full",
        "--source",
        app.dir,
        "--state-dir",
        mergeState,
        "--commit",
        SHA,
        "--record",
        "local",
        ...urls(),
      ],
      env,
    );
    expect(merge.exitCode, merge.output).toBe(0);
    expect(merge.stdout).toMatch(/e2e \(full\): passed\nplaywright: 12 passed, 0 failed, 0 flaky, 0 skipped/);
    expect(merge.stdout).toMatch(/shard 1: ran on its own runner, exit 0/);
    expect(merge.stdout).toMatch(/backend e2e: 3 passed, 0 failed/);
    expect(JSON.parse(readFileSync(join(mergeState, "e2e", `${SHA}.json`), "utf8"))).toMatchObject({
      commit: SHA,
      status: "passed",
      passed: 15,
    });

    const singleState = tmp();
    const single = await runPipeline(
      [
        "end-to-end",
        "--shards",
        "2",
        "--suite",
        "full",
        "--source",
        app.dir,
        "--state-dir",
        singleState,
        "--commit",
        SHA,
        "--record",
        "local",
        ...urls(),
      ],
      env,
    );
    expect(single.exitCode, single.output).toBe(0);
    expect(testIds(mergeState)).toHaveLength(12);
    expect(testIds(mergeState)).toEqual(testIds(singleState));

    const partial = tmp();
    mkdirSync(partial, { recursive: true });
    copyFileSync(join(outs[0], "report-1.zip"), join(partial, "report-1.zip"));
    const red = await runPipeline(
      [
        "end-to-end-merge",
        "--blobs",
        partial,
        "--total",
        "2",
        "--source",
        app.dir,
        "--state-dir",
        tmp(),
        "--commit",
        SHA,
        "--record",
        "local",
        ...urls(),
      ],
      env,
    );
    expect(red.exitCode, red.output).toBe(1);
    expect(red.stdout).toMatch(
      /PROBLEM shard 2 of 2 sent no blob report \(report-2\.zip\): re-run its job, or `npm run pipeline -- end-to-end-shard --index 2 --total 2 /,
    );
  }, 240_000);

  it("refuses a shard index outside --total and a shard without --out, before any browser starts", async () => {
    const bad = await runPipeline(
      ["end-to-end-shard", "--index", "3", "--total", "2", "--out", tmp(), "--source", machines[0].dir, ...urls()],
      env,
    );
    expect(bad.exitCode, bad.output).toBe(2);
    expect(bad.stderr).toMatch(/--index 3 is not a shard of --total 2: pass a whole number from 1 to 2/);
    const noOut = await runPipeline(
      ["end-to-end-shard", "--index", "1", "--total", "2", "--source", machines[0].dir, ...urls()],
      env,
    );
    expect(noOut.exitCode, noOut.output).toBe(2);
    expect(noOut.stderr).toMatch(/end-to-end-shard needs --out DIR/);
  }, 60_000);
});

/**
 * A shard counts as arrived only when the merge can take its blob (h15e2e): a `report-1.zip` in --blobs that was a
 * dangling link or a folder (a download that failed, a link to a machine's folder since removed) made shard 1 "ran on
 * its own runner, exit 0" though merge-reports never saw its blob, so a smoke merge whose failing test was on shard 1
 * passed and wrote a green record.
 */
describe("which blobs arrived", () => {
  it("names only the regular files of --blobs, as the merge gathers them", () => {
    const dir = mkdtempSync(join(tmpdir(), "e2e-arrived-"));
    try {
      writeFileSync(join(dir, "report-2.zip"), "zip");
      symlinkSync("/nonexistent/report-1.zip", join(dir, "report-1.zip"));
      mkdirSync(join(dir, "report-3.zip"));
      symlinkSync("report-2.zip", join(dir, "report-4.zip"));
      writeFileSync(join(dir, "notes.txt"), "");
      expect(arrivedBlobNames(dir).sort()).toEqual(["notes.txt", "report-2.zip", "report-4.zip"]);
      expect(arrivedBlobNames(join(dir, "missing"))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
