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
