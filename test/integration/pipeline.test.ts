import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPipeline } from "../support/cli";
import { copyExample } from "../support/example";

/** The host runner's entry point, run as a user would, on real npm, uv, Next.js and a MongoDB stand-in. */
describe("npm run pipeline -- fast-tests", () => {
  const copy = copyExample();
  afterAll(() => copy.remove());

  it("passes on the example app and ends with the summary table, metrics and reports", async () => {
    const reports = mkdtempSync(join(tmpdir(), "reports-"));
    const stepSummary = join(reports, "step-summary.md");
    const r = await runPipeline(["fast-tests", "--source", copy.dir, "--report-dir", reports], {
      ...process.env,
      GITHUB_STEP_SUMMARY: stepSummary,
    });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toMatch(/\[frontend:build\] ✓ build/);
    expect(r.stdout).toMatch(/\[backend:[\w-]+\] .*Required test coverage of 85% reached/);
    expect(r.stdout).toMatch(/\[backend\] mongo \((mongo-stand-in|ferretdb|mongod)\) listening on 127\.0\.0\.1:\d+/);
    const summary = r.stdout.slice(r.stdout.lastIndexOf("\nfast-tests: ") + 1);
    expect(summary).toMatch(/^fast-tests: passed\njob\s+status\s+duration\s+threshold/);
    expect(summary).toMatch(/frontend\s+PASSED\s+[\d.]+s\s+< 5 min \(alert > 7 min\): ok/);
    expect(summary).toMatch(/backend\s+PASSED\s+[\d.]+s\s+< 5 min \(alert > 7 min\): ok/);
    expect(summary).toMatch(/^stage fast-tests: [\d.]+s \(target < 5 min, alert > 7 min\): ok$/m);
    expect(summary).toMatch(/^coverage: \d+\.\d\d% \(minimum 85%\): ok$/m);
    expect(summary).toMatch(/^GitHub Actions estimate: \d+ min × \$0\.008 = \$0\.\d{3}$/m);
    expect(readFileSync(stepSummary, "utf8")).toMatch(/### fast-tests: passed[\s\S]*\| frontend \| ✅ passed \|/);
    expect(readFileSync(join(reports, "fast-tests/junit.xml"), "utf8")).toMatch(
      /<testsuite name="fast-tests" tests="2" failures="0" skipped="0"/,
    );
  }, 300_000);

  it("warns, without failing, when a stage runs over its thresholds", async () => {
    const slow = copyExample();
    try {
      writeFileSync(
        join(slow.dir, "pipeline.yaml"),
        "thresholds:\n  fastTests: { target: 0.001, alert: 0.002 }\nbilling:\n  ratePerMinute: 0.016\n",
      );
      const r = await runPipeline([
        "backend-tests",
        "--source",
        slow.dir,
        "--report-dir",
        mkdtempSync(join(tmpdir(), "reports-")),
      ]);
      expect(r.exitCode, r.output).toBe(0);
      expect(r.stdout).toMatch(/backend\s+PASSED\s+[\d.]+s\s+< 0 min \(alert > 0 min\): ALERT/);
      expect(r.stdout).toMatch(/^warning: ALERT, stage fast-tests: [\d.]+s \(target < 0 min, alert > 0 min\): ALERT$/m);
      expect(r.stdout).toMatch(/^GitHub Actions estimate: 1 min × \$0\.016 = \$0\.016$/m);
    } finally {
      slow.remove();
    }
  }, 120_000);
});

describe("npm run pipeline: bad input fails before anything runs", () => {
  it("rejects an unknown command, naming the nearest one and where the list is", async () => {
    const r = await runPipeline(["fast-test"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe(
      'input error: unknown command "fast-test" (did you mean fast-tests?); list the commands with: npm run pipeline -- --help',
    );
  });

  it("rejects a wrong config with the file, the key and the fix, and installs nothing", async () => {
    const copy = copyExample();
    try {
      writeFileSync(join(copy.dir, "pipeline.yaml"), "backend:\n  covrageSource: app\n");
      const r = await runPipeline(["fast-tests", "--source", copy.dir]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim()).toBe(
        "input error: pipeline.yaml: `backend.covrageSource` is not a known key. Fix: use one of: path, pythonVersion, packageManager, requirements, image, install, test, coverageSource, deselectMarkers, deselect, extras, groups, parallel, env (did you mean `coverageSource`?)",
      );
      expect(existsSync(join(copy.dir, "frontend/node_modules"))).toBe(false);
    } finally {
      copy.remove();
    }
  });

  it("names a missing tool and how to install it, in one line", async () => {
    // A PATH with node but no npm (uv is the project's own, in .tools/bin).
    const bin = mkdtempSync(join(tmpdir(), "bin-"));
    symlinkSync(process.execPath, join(bin, "node"));
    // Unconfined: bwrap is not on that PATH either, and its warning is sandbox.test.ts's.
    const r = await runPipeline(["frontend-checks"], { ...process.env, PATH: bin, PIPELINE_SANDBOX: "off" });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^input error: missing tool: /);
    expect(r.stderr).toMatch(/^(input error: )?missing tool: frontend: npm is not on PATH; npm ships with Node\.js/m);
  });

  it("says when no Python here satisfies the backend's requires-python", async () => {
    const copy = copyExample();
    try {
      const pyproject = join(copy.dir, "backend/pyproject.toml");
      writeFileSync(
        pyproject,
        readFileSync(pyproject, "utf8").replace(/requires-python = "[^"]+"/, 'requires-python = ">=3.99"'),
      );
      const r = await runPipeline(["backend-tests", "--source", copy.dir]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/missing tool: backend: no CPython 3\.99 on this machine for uv; install CPython 3\.99/);
    } finally {
      copy.remove();
    }
  });

  it("names a MongoDB server that is not installed", async () => {
    const copy = copyExample();
    try {
      writeFileSync(
        join(copy.dir, "pipeline.yaml"),
        "services:\n  mongo:\n    hostCommands:\n      - { bin: no-such-mongod, args: [] }\n",
      );
      const r = await runPipeline(["backend-tests", "--source", copy.dir]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(
        /missing tool: backend: mongo server \(no-such-mongod\) not on PATH; run scripts\/setup\.sh \(it builds the mongo-java-server/,
      );
    } finally {
      copy.remove();
    }
  });
});
