/**
 * The E2E run's inputs from the repository, checked before anything starts. A visual baseline that is a link to a
 * file outside the frontend would be read by Playwright as the expected screenshot and copied into the report
 * (`home-expected.png`), an artifact anyone with the run can download: so the baselines folder holds files only.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { E2eInputError } from "../../../../ci/src/plan/e2e/stage";
import { checkBaselines } from "../../../../scripts/host/e2e/inputs";
import { runPipeline } from "../../../support/cli";
import { copyExample } from "../../../support/example";

const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nSECRETCANARY\n-----END OPENSSH PRIVATE KEY-----\n";
const VISUAL = parseConfig("quality:\n  visual: { enabled: true }\n");

let copy: ReturnType<typeof copyExample>;
let shots: string;
let outside: string;
beforeEach(() => {
  copy = copyExample();
  shots = join(copy.dir, "frontend/e2e/__screenshots__");
  outside = join(copy.dir, "..", "runner-key");
  writeFileSync(outside, KEY);
});
afterEach(() => copy.remove());

describe("checkBaselines", () => {
  it("takes the committed baselines as they are", () => {
    expect(() => checkBaselines(copy.dir, VISUAL)).not.toThrow();
  });

  it("refuses a baseline that is a link to a file outside the frontend, naming it", () => {
    const baseline = join(shots, "home-debian-chromium-linux.png");
    rmSync(baseline);
    symlinkSync(outside, baseline);
    expect(() => checkBaselines(copy.dir, VISUAL)).toThrow(E2eInputError);
    expect(() => checkBaselines(copy.dir, VISUAL)).toThrow(
      /home-debian-chromium-linux\.png is a link; the baselines folder holds only the screenshots themselves/,
    );
  });

  it("refuses a baselines folder that is a link out of the frontend", () => {
    const elsewhere = join(copy.dir, "..", "elsewhere");
    mkdirSync(elsewhere);
    rmSync(shots, { recursive: true });
    symlinkSync(elsewhere, shots);
    expect(() => checkBaselines(copy.dir, VISUAL)).toThrow(/leads outside the frontend/);
  });

  it("checks nothing when the visual check is off", () => {
    rmSync(join(shots, "home-debian-chromium-linux.png"));
    symlinkSync(outside, join(shots, "home-debian-chromium-linux.png"));
    expect(() => checkBaselines(copy.dir, parseConfig(undefined))).not.toThrow();
  });
});

describe("end-to-end with a linked baseline", () => {
  it("exits 2 before it starts anything, and no report holds the linked file", async () => {
    const baseline = join(shots, "home-debian-chromium-linux.png");
    rmSync(baseline);
    symlinkSync(outside, baseline);
    writeFileSync(join(copy.dir, "pipeline.yaml"), "quality:\n  visual: { enabled: true }\n");
    const state = join(copy.dir, "..", "state");
    const r = await runPipeline([
      "end-to-end",
      "--source",
      copy.dir,
      "--base-url",
      "http://127.0.0.1:9",
      "--api-url",
      "http://127.0.0.1:9",
      "--state-dir",
      state,
      "--commit",
      "2".repeat(40),
      "--record",
      "local",
      "--ready-attempts",
      "1",
    ]);
    expect(r.exitCode, r.output).toBe(2);
    expect(r.stderr).toMatch(/^input error: .*home-debian-chromium-linux\.png is a link/m);
    expect(r.output).not.toMatch(/\n\s+at /);
    expect(r.output).not.toContain("waiting");
    expect(readFileSync(outside, "utf8")).toBe(KEY);
  }, 60_000);
});
