/**
 * The E2E run's inputs from the repository, checked before anything starts. A visual baseline that is a link to a
 * file outside the frontend would be read by Playwright as the expected screenshot and copied into the report
 * (`home-expected.png`), an artifact anyone with the run can download: so the baselines folder holds files only.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { E2eInputError } from "../../../../ci/src/plan/e2e/stage";
import { checkBaselines, checkWorkFolder, listSpecFiles } from "../../../../scripts/host/e2e/inputs";
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

  it("refuses a baselines path that is a file, naming it (before: ENOTDIR from readdir, a stack trace)", () => {
    rmSync(shots, { recursive: true });
    writeFileSync(shots, "not a folder\n");
    expect(() => checkBaselines(copy.dir, VISUAL)).toThrow(E2eInputError);
    expect(() => checkBaselines(copy.dir, VISUAL)).toThrow(/__screenshots__ is a file, not the baselines folder/);
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

describe("checkWorkFolder", () => {
  it("takes a frontend without .e2e, or with its own .e2e folder", () => {
    expect(() => checkWorkFolder(copy.dir, VISUAL)).not.toThrow();
    mkdirSync(join(copy.dir, "frontend/.e2e"));
    expect(() => checkWorkFolder(copy.dir, VISUAL)).not.toThrow();
  });

  it("refuses a .e2e that is a link: the runner empties and fills folders under it", () => {
    symlinkSync(join(copy.dir, ".."), join(copy.dir, "frontend/.e2e"));
    expect(() => checkWorkFolder(copy.dir, VISUAL)).toThrow(E2eInputError);
    expect(() => checkWorkFolder(copy.dir, VISUAL)).toThrow(/frontend\/\.e2e is a link .*: remove it/);
  });
});

describe("end-to-end-shard with .e2e a link out of the repository", () => {
  it("exits 2 before it removes or writes anything there (before: it emptied <link>/blob-1 and results-1)", async () => {
    const victim = join(copy.dir, "..", "victim");
    for (const d of ["blob-1", "results-1"]) {
      mkdirSync(join(victim, d), { recursive: true });
      writeFileSync(join(victim, d, "precious.txt"), "keep\n");
    }
    symlinkSync(victim, join(copy.dir, "frontend/.e2e"));
    const r = await runPipeline(
      [
        "end-to-end-shard",
        "--source",
        copy.dir,
        "--index",
        "1",
        "--total",
        "2",
        "--out",
        join(copy.dir, "..", "blob"),
      ].concat(["--base-url", "http://127.0.0.1:9", "--api-url", "http://127.0.0.1:9", "--ready-attempts", "1"]),
    );
    expect(r.exitCode, r.output).toBe(2);
    expect(r.stderr).toMatch(/^input error: .*\.e2e is a link/m);
    for (const d of ["blob-1", "results-1"]) expect(existsSync(join(victim, d, "precious.txt")), d).toBe(true);
  }, 60_000);
});

describe("listSpecFiles", () => {
  it("refuses an e2e.testDir that is a file, naming it (before: ENOTDIR from readdir, a stack trace)", () => {
    const c = parseConfig("e2e:\n  testDir: package.json\n");
    expect(() => listSpecFiles(copy.dir, c)).toThrow(E2eInputError);
    expect(() => listSpecFiles(copy.dir, c)).toThrow(/package\.json is a file, not a folder.*e2e\.testDir/);
  });

  /**
   * The spec folder committed as a link out of the repository: its files were listed (under `/`, the whole disk was
   * walked) and Playwright would run specs the repository does not hold.
   */
  it("refuses an e2e.testDir that leads outside the frontend, naming where", () => {
    const specs = join(copy.dir, "..", "outside-specs");
    mkdirSync(specs, { recursive: true });
    writeFileSync(join(specs, "a.spec.ts"), "// not the repository's\n");
    rmSync(join(copy.dir, "frontend/e2e"), { recursive: true });
    symlinkSync(specs, join(copy.dir, "frontend/e2e"));
    const c = parseConfig(undefined);
    try {
      expect(() => listSpecFiles(copy.dir, c)).toThrow(E2eInputError);
      expect(() => listSpecFiles(copy.dir, c)).toThrow(
        /frontend\/e2e leads outside the frontend \(to .*outside-specs\)/,
      );
    } finally {
      rmSync(specs, { recursive: true, force: true });
    }
  });
});
