import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { measureStage } from "../../../ci/src/plan/report/metrics";
import type { JobResult } from "../../../ci/src/plan/report/summary";
import { reportStage } from "../../../scripts/host/report";

/**
 * The report dir may be in the repository (`--report-dir` in the checkout, or `.pipeline/reports` run from it), where
 * a repository command can leave a link at summary.md or junit.xml, or at the stage's folder, to a file of the user's
 * (~/.bashrc, ~/.ssh/authorized_keys). The runner writes its report after the command, outside the sandbox, and a
 * failing step's output is in it: it must replace such a link, never write through it (2026-12-06, seventh run).
 */
describe("reportStage, where a repository command left links in the report dir", () => {
  const root = mkdtempSync(join(tmpdir(), "report-links-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const USER_FILE = `# the user's "own" $HOME file\n`;
  const threshold = { targetSeconds: 60, alertSeconds: 120 };
  const results: JobResult[] = [
    { job: "frontend", status: "failed", seconds: 1, threshold, failedStep: "lint", reason: "ssh-ed25519 AAAA x" },
  ];
  const m = measureStage("fast-tests", results, 1, threshold, { ratePerMinute: 0.008, coverageMin: 0 });

  it("writes summary.md and junit.xml as files of its own, leaving the files the links named as they were", () => {
    const dir = join(root, "reports");
    mkdirSync(join(dir, "fast-tests"), { recursive: true });
    const victims = ["bashrc", "authorized_keys"].map((n) => join(root, n));
    for (const v of victims) writeFileSync(v, USER_FILE);
    symlinkSync(victims[0]!, join(dir, "fast-tests/summary.md"));
    symlinkSync(victims[1]!, join(dir, "fast-tests/junit.xml"));
    reportStage(m, results, dir, {});
    for (const v of victims) expect(readFileSync(v, "utf8")).toBe(USER_FILE);
    expect(lstatSync(join(dir, "fast-tests/summary.md")).isFile()).toBe(true);
    expect(readFileSync(join(dir, "fast-tests/junit.xml"), "utf8")).toContain("lint");
  });

  it("writes into a folder of its own where the stage's folder was a link to another", () => {
    const dir = join(root, "reports2");
    const elsewhere = join(root, "home-ssh");
    mkdirSync(dir);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(dir, "fast-tests"));
    reportStage(m, results, dir, {});
    expect(lstatSync(join(dir, "fast-tests")).isDirectory()).toBe(true);
    expect(lstatSync(join(dir, "fast-tests/summary.md")).isFile()).toBe(true);
    expect(() => lstatSync(join(elsewhere, "summary.md"))).toThrow();
  });
});

/**
 * $GITHUB_STEP_SUMMARY set by hand to a folder, or to a FIFO no one reads: a 2026-12-06 hostile run's
 * `frontend-checks` passed, then exited 1 with an EISDIR stack trace, or blocked for ever on the FIFO (and a deploy,
 * which writes the same summary after its unlock, hung there, its key copy left once it was killed).
 */
describe("reportStage, where $GITHUB_STEP_SUMMARY is no file", () => {
  const root = mkdtempSync(join(tmpdir(), "report-summary-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const threshold = { targetSeconds: 60, alertSeconds: 120 };
  const results: JobResult[] = [{ job: "frontend", status: "passed", seconds: 1, threshold }];
  const m = measureStage("fast-tests", results, 1, threshold, { ratePerMinute: 0.008, coverageMin: 0 });

  it("writes the report and says it could not write the summary, for a folder or a FIFO", () => {
    const fifo = join(root, "fifo");
    execFileSync("mkfifo", [fifo]);
    for (const summary of [root, fifo]) {
      const said = reportStage(m, results, join(root, "reports"), { GITHUB_STEP_SUMMARY: summary });
      expect(said).toMatch(/^reports: .*summary\.md, .*junit\.xml; warning: could not write the step summary \(/);
      expect(readFileSync(join(root, "reports/fast-tests/summary.md"), "utf8")).toContain("frontend");
    }
    const file = join(root, "summary.md");
    expect(reportStage(m, results, join(root, "reports"), { GITHUB_STEP_SUMMARY: file })).not.toMatch(/warning/);
    expect(readFileSync(file, "utf8")).toContain("frontend");
  }, 10_000);
});
