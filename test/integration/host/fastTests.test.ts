import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPipeline, type CliResult } from "../../support/cli";

/** A tiny repository whose frontend `lint` is a real node one-liner, passing or failing as asked. */
function tinyRepo(lint: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tiny-repo-"));
  mkdirSync(join(dir, "frontend"));
  mkdirSync(join(dir, "backend"));
  writeFileSync(join(dir, "frontend/package.json"), JSON.stringify({ name: "tiny", scripts: { lint } }));
  writeFileSync(join(dir, "pipeline.yaml"), "frontend:\n  install: node --version\n  steps:\n    lint: npm run lint\n");
  return dir;
}

/** The host adapters of the fast-tests flow, run as a user would on real processes. */
describe("frontend-checks on the host runner", () => {
  let green: { dir: string; r: CliResult };
  let red: { dir: string; r: CliResult };
  beforeAll(async () => {
    const run = async (lint: string) => {
      const dir = tinyRepo(lint);
      return { dir, r: await runPipeline(["frontend-checks", "--source", dir, "--report-dir", join(dir, "reports")]) };
    };
    [green, red] = await Promise.all([
      run(`node -e "console.log('clean')"`),
      run(`node -e "console.error('src/a.ts:1:1 error Unexpected any'); process.exit(3)"`),
    ]);
  }, 120_000);
  afterAll(() => [green, red].forEach((x) => rmSync(x.dir, { recursive: true, force: true })));

  it("prints the table, the stage's metrics once, and where the reports are", () => {
    expect(green.r.exitCode, green.r.output).toBe(0);
    const tail = green.r.stdout.slice(green.r.stdout.lastIndexOf("\nfast-tests: ") + 1);
    expect(tail).toMatch(/^fast-tests: passed\njob\s+status/);
    expect(tail.match(/^stage fast-tests: /gm)).toHaveLength(1);
    expect(tail).toContain(`reports: ${join(green.dir, "reports/fast-tests/summary.md")}`);
    expect(readFileSync(join(green.dir, "reports/fast-tests/junit.xml"), "utf8")).toContain('tests="1" failures="0"');
  });

  it("fails naming the job, the step, the telling line and the command that re-runs it alone", () => {
    expect(red.r.exitCode).toBe(1);
    expect(red.r.stdout).toMatch(/frontend\s+FAILED\s+.*step lint: exit 3/);
    const failure = red.r.stderr.slice(red.r.stderr.indexOf("frontend failed at lint:"));
    expect(failure).toMatch(/^frontend failed at lint:\nexit 3\n[\s\S]*^src\/a\.ts:1:1 error Unexpected any$/m);
    expect(failure.trimEnd().split("\n").at(-1)).toBe(
      `re-run it alone: npm run pipeline -- frontend-checks --source ${red.dir}`,
    );
  });
});

/**
 * A pull request controls what its commands print, and the runner prints some of it again in its own words (the
 * failure story, the summary table, summary.md, junit.xml, $GITHUB_STEP_SUMMARY), in a GitHub Actions step whose
 * runner obeys workflow commands (`::add-mask::`, `::error::`, and `##[…]` anywhere in a line, CR ending a line).
 */
describe("a pull request's hostile output on the host runner", () => {
  let run: { dir: string; summary: string; r: CliResult };
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "hostile-output-"));
    mkdirSync(join(dir, "frontend"));
    mkdirSync(join(dir, "backend"));
    const lint = [
      "::add-mask::at-line-start",
      "::error::Error: forged at the start of a line",
      "[x] ##[warning]Error: v1 in the middle",
      "Error: progress\r::notice::after a CR\rfrontend  PASSED  1.0s",
      "Error: \x1b]0;pwned title\x07\x1b[2Jscreen cleared",
    ].join("\n");
    writeFileSync(
      join(dir, "frontend/lint.js"),
      `process.stdout.write(${JSON.stringify(`${lint}\n`)}); process.exit(1);`,
    );
    writeFileSync(
      join(dir, "frontend/package.json"),
      JSON.stringify({ name: "tiny", scripts: { lint: "node lint.js" } }),
    );
    writeFileSync(
      join(dir, "pipeline.yaml"),
      "frontend:\n  install: node --version\n  steps:\n    lint: npm run lint\n",
    );
    const summary = join(dir, "step-summary.md");
    writeFileSync(summary, "");
    const env = { ...process.env, GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary };
    const args = ["frontend-checks", "--source", dir, "--report-dir", join(dir, "reports"), "--event", "pull_request"];
    run = { dir, summary, r: await runPipeline(args, env) };
  }, 120_000);
  afterAll(() => rmSync(run.dir, { recursive: true, force: true }));

  it("stops GitHub's workflow commands for the whole run with a token the repository cannot know, and resumes them", () => {
    expect(run.r.exitCode, run.r.output).toBe(1);
    const lines = run.r.stdout.split("\n").filter(Boolean);
    const token = /^::stop-commands::([0-9a-f]{32})$/.exec(lines[0])?.[1];
    expect(token, lines[0]).toBeDefined();
    expect(lines.at(-1)).toBe(`::${token}::`);
    expect(run.r.stderr).not.toContain(`::${token}::`);
  });

  it("writes the repository's control characters as escapes in the failure story, the table and the reports", () => {
    const failure = run.r.stderr.slice(run.r.stderr.indexOf("frontend failed at lint:"));
    expect(failure).toContain("Error: \\x1b]0;pwned title\\x07\\x1b[2Jscreen cleared");
    expect(failure).toContain("Error: progress\\x0d::notice::after a CR\\x0dfrontend  PASSED  1.0s");
    const tail = run.r.stdout.slice(run.r.stdout.lastIndexOf("\nfast-tests: "));
    // eslint-disable-next-line no-control-regex -- the point
    const controls = /[\u0000-\u0008\u000b-\u001f\u007f]/;
    for (const [name, text] of [
      ["failure story", failure],
      ["summary table", tail],
      ["summary.md", readFileSync(join(run.dir, "reports/fast-tests/summary.md"), "utf8")],
      ["junit.xml", readFileSync(join(run.dir, "reports/fast-tests/junit.xml"), "utf8")],
      ["$GITHUB_STEP_SUMMARY", readFileSync(run.summary, "utf8")],
    ])
      expect(controls.test(text), `${name}: ${JSON.stringify(text)}`).toBe(false);
  });

  it("re-runs a pull request's job as a pull request's, in its own caches", () => {
    const failure = run.r.stderr.slice(run.r.stderr.indexOf("frontend failed at lint:"));
    expect(failure.trimEnd().split("\n").at(-1)).toBe(
      `re-run it alone: npm run pipeline -- frontend-checks --source ${run.dir} --event pull_request`,
    );
  });
});
