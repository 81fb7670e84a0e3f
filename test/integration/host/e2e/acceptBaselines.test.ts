/**
 * `accept-baselines --report DIR` on hostile reports: a report is input (an artifact anyone could have edited), so it
 * may only ever copy PNG screenshots from inside the report into the frontend's baselines folder, and refuses the
 * rest with exit 2 before it writes anything.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runPipeline } from "../../../support/cli";

const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.from("a tiny screenshot")]);
const BASELINE = "home-debian-chromium-linux.png";

let root: string;
let repo: string;
let report: string;
let shots: string;

/** A report as end-to-end leaves it after a red visual check: one `-actual.png` and its record. */
function writeReport(record: unknown = { page: "/", slug: "home", baseline: BASELINE }, actual: Buffer = PNG) {
  mkdirSync(join(report, "quality/results/quality-visual-home"), { recursive: true });
  mkdirSync(join(report, "quality/visual"), { recursive: true });
  writeFileSync(join(report, "quality/results/quality-visual-home/home-actual.png"), actual);
  writeFileSync(join(report, "quality/visual/home.json"), typeof record === "string" ? record : JSON.stringify(record));
}

const accept = (r = report) => runPipeline(["accept-baselines", "--source", repo, "--report", r]);

/** Every file under `dir`, for "nothing was written" checks. */
const filesUnder = (dir: string) => (existsSync(dir) ? (readdirSync(dir, { recursive: true }) as string[]).sort() : []);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "accept-baselines-"));
  repo = join(root, "repo");
  report = join(root, "report");
  shots = join(repo, "frontend/e2e/__screenshots__");
  mkdirSync(join(repo, "frontend"), { recursive: true });
  mkdirSync(join(repo, "backend"));
  writeFileSync(join(repo, "frontend/package.json"), '{ "name": "fe", "version": "1.0.0" }\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("runAcceptBaselines", () => {
  it("copies the PNG a red visual check took over its baseline", async () => {
    writeReport();
    const r = await accept();
    expect(r.exitCode, r.output).toBe(0);
    expect(readFileSync(join(shots, BASELINE)).equals(PNG)).toBe(true);
  }, 30_000);

  it.each([
    ["a baseline path up and out", `../../../../${"x".repeat(3)}.png`, /not a screenshot file name/],
    ["an absolute baseline path", "/tmp/accept-baselines-pwned.png", /not a screenshot file name/],
  ])(
    "refuses %s with exit 2 and writes nothing",
    async (_, baseline, message) => {
      writeReport({ page: "/", slug: "home", baseline });
      const r = await accept();
      expect(r.exitCode, r.output).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.output).not.toMatch(/\n\s+at /);
      expect(filesUnder(shots)).toEqual([]);
      expect(existsSync("/tmp/accept-baselines-pwned.png")).toBe(false);
      expect(filesUnder(root).filter((f) => f.endsWith("xxx.png"))).toEqual([]);
    },
    30_000,
  );

  it("refuses a garbled record with exit 2 and the fix, no stack trace", async () => {
    writeReport("{ not json");
    const r = await accept();
    expect(r.exitCode, r.output).toBe(2);
    expect(r.stderr).toMatch(/home\.json is not a visual record .*Re-run end-to-end/);
    expect(r.output).not.toMatch(/\n\s+at /);
  }, 30_000);

  it("refuses a screenshot that is a link to a file outside the report (a key, /etc/passwd): nothing copied", async () => {
    writeReport();
    const shot = join(report, "quality/results/quality-visual-home/home-actual.png");
    rmSync(shot);
    symlinkSync("/etc/passwd", shot);
    const r = await accept();
    expect(r.exitCode, r.output).toBe(2);
    expect(r.stderr).toMatch(/home-actual\.png is a link/);
    expect(filesUnder(shots)).toEqual([]);
  }, 30_000);

  it("refuses a results folder that is a link out of the report", async () => {
    writeReport();
    const outside = join(root, "elsewhere");
    mkdirSync(outside);
    writeFileSync(join(outside, "home-actual.png"), PNG);
    rmSync(join(report, "quality/results/quality-visual-home"), { recursive: true });
    rmSync(join(report, "quality/results"), { recursive: true });
    symlinkSync(outside, join(report, "quality/results"));
    const r = await accept();
    expect(r.exitCode, r.output).toBe(2);
    expect(r.stderr).toMatch(/leads outside the report/);
    expect(filesUnder(shots)).toEqual([]);
  }, 30_000);

  it("refuses a screenshot that is not a PNG (a copied text file) with exit 2", async () => {
    writeReport(undefined, Buffer.from("-----BEGIN OPENSSH PRIVATE KEY-----\n"));
    const r = await accept();
    expect(r.exitCode, r.output).toBe(2);
    expect(r.stderr).toMatch(/home-actual\.png is not a PNG image/);
    expect(filesUnder(shots)).toEqual([]);
  }, 30_000);

  it("refuses a screenshot larger than the bound, naming it", async () => {
    writeReport(undefined, Buffer.concat([PNG, Buffer.alloc(33 * 1024 * 1024)]));
    const r = await accept();
    expect(r.exitCode, r.output).toBe(2);
    expect(r.stderr).toMatch(/home-actual\.png is \d+ MiB, more than a screenshot's 32 MiB/);
    expect(filesUnder(shots)).toEqual([]);
  }, 30_000);

  it("refuses a record larger than a record's 64 KiB, naming both sizes", async () => {
    writeReport(JSON.stringify({ page: "/", slug: "home", baseline: BASELINE, pad: "x".repeat(100 * 1024) }));
    const r = await accept();
    expect(r.exitCode, r.output).toBe(2);
    expect(r.stderr).toMatch(/home\.json is 101 KiB, more than a record's 64 KiB/);
    expect(filesUnder(shots)).toEqual([]);
  }, 30_000);

  it("refuses a baseline in the repository that is a link out of it: the link's target is not overwritten", async () => {
    writeReport();
    const victim = join(root, "victim.txt");
    writeFileSync(victim, "keep me\n");
    mkdirSync(shots, { recursive: true });
    symlinkSync(victim, join(shots, BASELINE));
    const r = await accept();
    expect(r.exitCode, r.output).toBe(2);
    expect(r.stderr).toMatch(/is a link; the baselines folder holds only PNG files/);
    expect(readFileSync(victim, "utf8")).toBe("keep me\n");
  }, 30_000);

  it("refuses a baselines folder that is a link out of the frontend", async () => {
    writeReport();
    const outside = join(root, "outside-shots");
    mkdirSync(outside);
    mkdirSync(join(repo, "frontend/e2e"), { recursive: true });
    symlinkSync(outside, shots);
    const r = await accept();
    expect(r.exitCode, r.output).toBe(2);
    expect(r.stderr).toMatch(/leads outside the frontend/);
    expect(filesUnder(outside)).toEqual([]);
  }, 30_000);

  it.each(["e2e/shots", "e2e/shots/deeper"])(
    "refuses quality.visual.baselines %s when a file stands where its folder goes, with exit 2 (before: ENOTDIR stack trace)",
    async (baselines) => {
      writeReport();
      mkdirSync(join(repo, "frontend/e2e"), { recursive: true });
      writeFileSync(join(repo, "frontend/e2e/shots"), "not a folder\n");
      writeFileSync(join(repo, "pipeline.yaml"), `quality:\n  visual: { baselines: ${baselines} }\n`);
      const r = await accept();
      expect(r.exitCode, r.output).toBe(2);
      expect(r.stderr).toMatch(/e2e\/shots is a file, not the baselines folder/);
      expect(r.output).not.toMatch(/\n\s+at /);
      expect(readFileSync(join(repo, "frontend/e2e/shots"), "utf8")).toBe("not a folder\n");
    },
    30_000,
  );

  it("takes a report folder that is itself a link (the link is the user's own choice)", async () => {
    writeReport();
    const link = join(root, "report-link");
    symlinkSync(report, link);
    const r = await accept(link);
    expect(r.exitCode, r.output).toBe(0);
    expect(readFileSync(join(shots, BASELINE)).equals(PNG)).toBe(true);
  }, 30_000);
});
