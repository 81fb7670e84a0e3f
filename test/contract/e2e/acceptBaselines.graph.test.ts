/**
 * `dagger call accept-baselines --report e2e-report export --path <frontend>/e2e/__screenshots__`, recorded with the
 * real SDK client and no engine: the returned directory holds each screenshot a red visual check took (read from the
 * exported report on the host), under the baseline name its browser and platform compare with, and nothing else.
 * The report is made of what a real red run here left (test/fixtures/quality/e2e/red).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recordCall } from "../../support/e2eRecording";
import type { Chain } from "../../support/recorder";

const RED = join(import.meta.dirname, "../../fixtures/quality/e2e/red");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** An exported E2E report's quality folder: the spec's record of the page and, if taken, its actual screenshot. */
function report(o: { record: boolean | string; actual: boolean }): string {
  const dir = mkdtempSync(join(tmpdir(), "e2e-report-"));
  dirs.push(dir);
  const results = join(dir, "quality/results/quality-visual--debian-chromium");
  mkdirSync(results, { recursive: true });
  mkdirSync(join(dir, "quality/visual"));
  copyFileSync(join(RED, "visual.json"), join(dir, "quality/visual.json"));
  writeFileSync(join(dir, "quality/results/.last-run.json"), '{"status":"failed"}');
  if (typeof o.record === "string") writeFileSync(join(dir, "quality/visual/home.json"), o.record);
  else if (o.record) copyFileSync(join(RED, "visual-home.json"), join(dir, "quality/visual/home.json"));
  if (o.actual) {
    copyFileSync(join(RED, "home-actual.png"), join(results, "home-actual.png"));
    copyFileSync(join(RED, "home-actual.png"), join(results, "home-diff.png"));
  }
  return dir;
}

/** The files the returned directory was given: name → the report path it was read from. */
function filesOf(chains: Chain[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ch of chains.filter((c) => c.at(-1)?.field === "sync"))
    for (const c of ch.filter((x) => x.field === "withFile")) {
      const source = c.args.source as Chain;
      out[c.args.path as string] = source.find((x) => x.field === "file")?.args.path as string;
    }
  return out;
}

describe("acceptBaselines (recorded GraphQL requests)", () => {
  it("returns the red run's screenshot named as this browser's and platform's baseline", async () => {
    const call = await recordCall("acceptBaselines", (dag) => ({
      report: dag.host().directory(report({ record: true, actual: true })),
    }));
    await expect(call.outcome).resolves.toBeDefined();
    expect(filesOf(call.rec.chains)).toEqual({
      "home-debian-chromium-linux.png": "quality/results/quality-visual--debian-chromium/home-actual.png",
    });
  }, 120_000);

  it("returns an empty directory for a report whose pages all matched", async () => {
    const call = await recordCall("acceptBaselines", (dag) => ({
      report: dag.host().directory(report({ record: true, actual: false })),
    }));
    await expect(call.outcome).resolves.toBeDefined();
    expect(filesOf(call.rec.chains)).toEqual({});
  }, 120_000);

  it("refuses a report with screenshots but no record of their baselines, saying what to run", async () => {
    const call = await recordCall("acceptBaselines", (dag) => ({
      report: dag.host().directory(report({ record: false, actual: true })),
    }));
    await expect(call.outcome).rejects.toThrow(/^input error: .*Re-run end-to-end, export its report/);
  }, 120_000);

  it.each([
    ['{"page":"/","slug":"home","baseline":"../../../../.bashrc.png"}', /not a screenshot file name/],
    ["{ garbled", /quality\/visual\/home\.json is not a visual record/],
  ])(
    "refuses a report whose record is hostile or garbled (%s), before any file is returned",
    async (record, message) => {
      const call = await recordCall("acceptBaselines", (dag) => ({
        report: dag.host().directory(report({ record, actual: true })),
      }));
      await expect(call.outcome).rejects.toThrow(message);
      await expect(call.outcome).rejects.toThrow(/^input error: /);
      expect(filesOf(call.rec.chains)).toEqual({});
    },
    120_000,
  );
});
