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
