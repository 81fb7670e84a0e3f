import { describe, expect, it } from "vitest";
import { fastTestsFlow, type FastTestsPorts } from "../../../ci/src/flow/fastTests";
import type { ResolvedTrigger } from "../../../ci/src/flow/triggers";
import { parseConfig } from "../../../ci/src/plan/config/parse";
import type { AlertEvent } from "../../../ci/src/plan/deploy/alerts";
import { planFastTests } from "../../../ci/src/plan/fastTests/stage";
import type { JobResult } from "../../../ci/src/plan/report/summary";

const c = parseConfig(undefined);
const stage = planFastTests(c);
const threshold = stage.jobs[0].threshold;

/** Ports that record each call in order and answer with canned results; the clock advances 1 s a read. */
function fakePorts(results: Record<string, Partial<JobResult>>, trigger: ResolvedTrigger = { prefix: "" }) {
  const calls: string[] = [];
  const alerts: AlertEvent[] = [];
  let clock = 0;
  const ports: FastTestsPorts = {
    resolveTrigger: async () => (calls.push("resolveTrigger"), trigger),
    toolchains: async (jobs) => (
      calls.push(`toolchains ${jobs.map((j) => j.name).join(",")}`),
      ["node 24 for frontend"]
    ),
    preflight: async (jobs) => void calls.push(`preflight ${jobs.map((j) => j.name).join(",")}`),
    runJob: async (job) => {
      calls.push(`runJob ${job.name}${job.scope ? ` in ${job.scope}: ${job.caches.map((m) => m.key).join(",")}` : ""}`);
      return { job: job.name, status: "passed", seconds: 2, threshold, ...results[job.name] };
    },
    runScan: async (scan) => (
      calls.push(`runScan ${scan.name}${scan.scope ? ` in ${scan.scope}` : ""}`),
      { exitCode: 0, stdout: "[]", stderr: "", seconds: 1 }
    ),
    saveQualityReport: async (check) => (calls.push(`saveQualityReport ${check}`), undefined),
    now: () => (clock += 1000),
    writeReport: async (m) => (calls.push(`writeReport ${m.stage}`), ["reports: here"]),
    alert: async (events) => {
      calls.push(`alert ${events.map((e) => e.kind).join(",")}`);
      alerts.push(...events);
      return events.length
        ? ["the warning alert channel #1 (ALERT_WEBHOOK_WARNING) did not take an alert (HTTP 500)"]
        : [];
    },
    rerunCommand: (command) => `RUNNER ${command}`,
  };
  return { ports, calls, alerts };
}

const diffOf = (changedPaths: string[]): ResolvedTrigger => ({
  prefix: "",
  resolution: { kind: "diff", base: "a", head: "b", how: "range", changedPaths, warnings: [] },
});

describe("fastTestsFlow", () => {
  it("checks, then runs every job, reports, and alerts in that order when nothing was diffed", async () => {
    const f = fakePorts({ backend: { coverage: 92 } });
    const out = await fastTestsFlow(stage, c, f.ports);
    expect(f.calls).toEqual([
      "resolveTrigger",
      "toolchains frontend,backend",
      "preflight frontend,backend",
      "runJob frontend",
      "runJob backend",
      "writeReport fast-tests",
      "alert ",
    ]);
    expect(out.passed).toBe(true);
    expect(out.failures).toEqual([]);
    expect(out.warnings).toEqual([]);
    expect(out.summary.split("\n")).toEqual([
      "fast-tests: passed",
      "job       status  duration  threshold                    detail",
      "--------  ------  --------  ---------------------------  ------",
      "frontend  PASSED  2.0s      < 5 min (alert > 7 min): ok",
      "backend   PASSED  2.0s      < 5 min (alert > 7 min): ok",
      "",
      "stage fast-tests: 1.0s (target < 5 min, alert > 7 min): ok",
      "coverage: 92.00% (minimum 85%): ok",
      "GitHub Actions estimate: 1 min × $0.008 = $0.008",
      "node 24 for frontend",
      "reports: here",
    ]);
  });

  it("names a failed job's step, why, and the runner's command that re-runs it; raises coverage-drop", async () => {
    const backend = { status: "failed" as const, failedStep: "pytest", reason: "exit 1\nTotal coverage: 61.54%" };
    const f = fakePorts({ backend: { ...backend, coverage: 61.54 } });
    const out = await fastTestsFlow(stage, c, f.ports);
    expect(out.passed).toBe(false);
    expect(out.failures).toEqual([
      "backend failed at pytest:\nexit 1\nTotal coverage: 61.54%\nre-run it alone: RUNNER backend-tests",
    ]);
    expect(f.alerts).toEqual([{ kind: "coverage-drop", text: "backend coverage 61.54% is below 85%" }]);
    expect(out.warnings).toEqual([
      "warning: the warning alert channel #1 (ALERT_WEBHOOK_WARNING) did not take an alert (HTTP 500)",
    ]);
    expect(out.summary).toMatch(/^fast-tests: FAILED\n[\s\S]*backend\s+FAILED\s+2\.0s.*step pytest: exit 1/);
  });

  it("skips the job the diff leaves alone, saying why, and never runs or checks it", async () => {
    const f = fakePorts({}, diffOf(["backend/app/main.py"]));
    const out = await fastTestsFlow(stage, c, f.ports);
    expect(f.calls.filter((x) => /^(toolchains|preflight|runJob)/.test(x))).toEqual([
      "toolchains backend",
      "preflight backend",
      "runJob backend",
    ]);
    expect(out.results.map((r) => [r.job, r.status])).toEqual([
      ["backend", "passed"],
      ["frontend", "skipped"],
    ]);
    expect(out.summary).toMatch(/frontend\s+SKIPPED\s+0\.0s.*no change under frontend\//);
  });

  it("runs every job with a warning when the trigger could not be diffed", async () => {
    const f = fakePorts({}, { prefix: "", resolution: { kind: "all", warning: "no git repository to diff in" } });
    const out = await fastTestsFlow(stage, c, f.ports);
    expect(out.warnings).toEqual(["warning: no git repository to diff in"]);
    expect(f.calls.filter((x) => x.startsWith("runJob"))).toHaveLength(2);
  });

  it("runs only the one job of frontend-checks, whose re-run is that command", async () => {
    const f = fakePorts({ frontend: { status: "failed", failedStep: "lint", reason: "exit 1" } });
    const out = await fastTestsFlow(planFastTests(c, "frontend"), c, f.ports);
    expect(f.calls.filter((x) => x.startsWith("runJob"))).toEqual(["runJob frontend"]);
    expect(out.failures).toEqual(["frontend failed at lint:\nexit 1\nre-run it alone: RUNNER frontend-checks"]);
  });

  it("starts no job when the check before them fails", async () => {
    const f = fakePorts({});
    f.ports.preflight = async () => {
      throw new Error("missing tool: uv");
    };
    await expect(fastTestsFlow(stage, c, f.ports)).rejects.toThrow("missing tool: uv");
    expect(f.calls.filter((x) => x.startsWith("runJob"))).toEqual([]);
  });

  it("runs the enabled quality checks beside the jobs: a row each, verdict as detail, a blocking one fails the stage", async () => {
    const q = parseConfig("quality:\n  secrets: { enabled: true }\n  audit: { enabled: true }\n");
    const f = fakePorts({});
    const leak = JSON.stringify([{ RuleID: "github-pat", File: "app/k.py", StartLine: 3 }]);
    const refused = '{"message":"request to http://r/ failed, reason: connect ECONNREFUSED"}';
    f.ports.runScan = async (scan) => {
      f.calls.push(`runScan ${scan.name}`);
      const stdout = scan.tool === "gitleaks" ? leak : scan.tool === "npm-audit" ? refused : '{"dependencies": []}';
      return { exitCode: 0, stdout, stderr: "", seconds: 1 };
    };
    const out = await fastTestsFlow(planFastTests(q), q, f.ports);
    expect(f.calls).toContain("preflight frontend,backend,secrets,audit-frontend,audit-backend");
    expect(f.calls.filter((x) => x.startsWith("saveQualityReport"))).toEqual([
      "saveQualityReport secrets",
      "saveQualityReport audit",
    ]);
    expect(out.passed).toBe(false);
    expect(out.summary).toMatch(
      /secrets\s+FAILED\s+1\.0s.*step gitleaks: secrets: FAILED, 1 secret: gitleaks github-pat high app\/k\.py:3/,
    );
    expect(out.summary).toMatch(
      /audit\s+PASSED\s+.*advisory database unreachable: npm audit: request to http:\/\/r\/ failed/,
    );
    expect(out.failures[0]).toMatch(/^secrets failed at gitleaks:\n.*\nre-run it alone: RUNNER fast-tests$/);
  });

  it("runs a pull request's jobs and scans with caches of its own, and says so", async () => {
    const q = parseConfig("quality:\n  secrets: { enabled: true }\n");
    const f = fakePorts({}, { prefix: "", event: "pull_request", pullRequest: 17, branch: "x" });
    const out = await fastTestsFlow(planFastTests(q), q, f.ports);
    const run = f.calls.filter((x) => /^run(Job|Scan)/.test(x));
    expect(run).toContain("runJob backend in pr-17: autoauthor-uv-pr-17");
    expect(run).toContain("runScan secrets in pr-17");
    expect(run.every((x) => x.includes(" in pr-17"))).toBe(true);
    expect(out.summary).toMatch(/^caches: pr-17's own \(a pull request's code never writes the shared caches\)$/m);
  });

  it("runs a push's jobs with the shared caches", async () => {
    const f = fakePorts({}, { prefix: "", event: "push", branch: "main" });
    const out = await fastTestsFlow(stage, c, f.ports);
    expect(f.calls.filter((x) => x.startsWith("runJob"))).toEqual(["runJob frontend", "runJob backend"]);
    expect(out.summary).not.toMatch(/^caches:/m);
  });

  it("runs no quality check in the one-job commands", async () => {
    const q = parseConfig("quality:\n  secrets: { enabled: true }\n");
    const f = fakePorts({});
    await fastTestsFlow(planFastTests(q, "backend"), q, f.ports);
    expect(f.calls.filter((x) => x.startsWith("runScan"))).toEqual([]);
  });
});
