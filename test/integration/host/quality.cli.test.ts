/**
 * The quality checks through the host runner's CLI, as a user runs it: `npm run pipeline -- fast-tests` on a temp copy
 * of the example app whose commit under test adds a token outside both jobs' paths, so path filtering skips the jobs
 * and the secret scan of base..head decides the stage.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyExample } from "../../support/example";
import { runPipeline } from "../../support/cli";

describe("npm run pipeline -- fast-tests with quality.secrets on", () => {
  const copy = copyExample();
  afterAll(() => copy.remove());
  const dir = copy.dir;
  const token = `ghp_${randomBytes(27).toString("base64url").replace(/[-_]/g, "x").slice(0, 36)}`;
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
      cwd: dir,
      encoding: "utf8",
    }).trim();

  it("fails the stage on a token the commit adds, naming file and line in the summary, the value nowhere", async () => {
    writeFileSync(join(dir, "pipeline.yaml"), "quality:\n  secrets:\n    enabled: true\n");
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "feat: the app");
    mkdirSync(join(dir, "ops"));
    writeFileSync(join(dir, "ops/deploy.env.py"), `# ops settings\nTOKEN = "${token}"\n`);
    git("add", "-A");
    git("commit", "-q", "-m", "chore: ops settings");
    const reports = join(dir, "..", "reports");
    const r = await runPipeline([
      "fast-tests",
      "--source",
      dir,
      "--base",
      "HEAD~1",
      "--head",
      "HEAD",
      "--report-dir",
      reports,
    ]);
    expect(r.exitCode, r.output).toBe(1);
    expect(r.stdout).toMatch(/frontend\s+SKIPPED/);
    expect(r.stdout).toMatch(
      /secrets\s+FAILED\s.*secrets: FAILED, 1 secret: gitleaks github-pat high ops\/deploy\.env\.py:2/,
    );
    const report = join(reports, "fast-tests/quality-secrets.json");
    expect(existsSync(report)).toBe(true);
    for (const text of [
      r.output,
      readFileSync(report, "utf8"),
      readFileSync(join(reports, "fast-tests/summary.md"), "utf8"),
    ])
      expect(text).not.toContain(token);
  }, 180_000);
});
