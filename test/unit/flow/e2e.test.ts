import { describe, expect, it } from "vitest";
import {
  e2eMergeFlow,
  e2eFlow,
  type E2eContext,
  type E2ePorts,
  type MergeEnd,
  type QualityEnd,
  type ShardEnd,
} from "../../../ci/src/flow/e2e";
import { parseConfig } from "../../../ci/src/plan/config/parse";
import type { AlertEvent } from "../../../ci/src/plan/deploy/alerts";
import { planE2e } from "../../../ci/src/plan/e2e/stage";
import { fail, pass, reportOf } from "../../support/pwReport";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const INPUT = {
  suite: "smoke",
  shards: 2,
  files: ["a.spec.ts", "b.spec.ts"],
  timings: new Map(),
  baseUrl: "http://web",
  apiUrl: "http://api",
  playwrightVersion: "1.65.1",
};
const plan = planE2e(parseConfig(undefined), INPUT);
const ctx: E2eContext = {
  commit: SHA,
  total: 2,
  rerun: { runner: "host", suite: "smoke", baseUrl: "http://web", apiUrl: "http://api", timings: false },
  warnings: ["the plan's own warning"],
  now: () => new Date("2026-12-04T18:00:00Z"),
};
const JUNIT = `<testsuites><testsuite tests="1" failures="0"><testcase classname="t" name="test_health"/></testsuite></testsuites>`;
const GREEN = JSON.stringify(reportOf({ "a.spec.ts": [pass("home @smoke")], "b.spec.ts": [pass("books @smoke")] }));

/** Ports over canned ends: blobs and reports are names; every call is recorded in order. */
function fakePorts(o: { shards?: ShardEnd<string>[]; merge?: MergeEnd<string>; quality?: QualityEnd<string> } = {}) {
  const calls: string[] = [];
  const alerts: AlertEvent[] = [];
  const written: { report?: string; files?: Record<string, string>; quality?: string } = {};
  const ports: E2ePorts<string, string, string> = {
    runShards: async () => {
      calls.push("runShards");
      return o.shards ?? [1, 2].map((i) => ({ exitCode: 0, killed: false, seconds: i, blob: `blob-${i}` }));
    },
    runBackend: async () => (calls.push("runBackend"), { exitCode: 0, junit: JUNIT }),
    merge: async (_, blobs) => {
      calls.push(`merge ${blobs.join(",")}`);
      return o.merge ?? { exitCode: 0, killed: false, report: "merged", results: GREEN };
    },
    runQuality: async () => (calls.push("runQuality"), o.quality ?? { outputs: {} }),
    notify: async (s) => (calls.push(`notify ${s.status}`), ["warning: the Slack webhook did not take it"]),
    alert: async (events) => {
      calls.push(`alert ${events.map((e) => e.kind).join(",")}`);
      alerts.push(...events);
      return events.length ? ["the warning alert channel #1 (ALERT_WEBHOOK_WARNING) did not take an alert"] : [];
    },
    writeRecord: async (s) => (calls.push(`writeRecord ${s.status}`), []),
    writeReport: async (report, files, quality) => {
      calls.push("writeReport");
      Object.assign(written, { report, files, quality });
      return `out:${report ?? "empty"}`;
    },
  };
  return { ports, calls, alerts, written };
}

describe("e2eFlow", () => {
  it("runs shards and backend, merges the blobs, then tells, records and writes the report with its files", async () => {
    const f = fakePorts();
    const out = await e2eFlow(plan, ctx, f.ports);
    expect(f.calls.slice(0, 3).sort()).toEqual(["merge blob-1,blob-2", "runBackend", "runShards"]);
    expect(f.calls.slice(3, 6).sort()).toEqual(["alert ", "notify passed", "writeRecord passed"]);
    expect(f.calls.at(-1)).toBe("writeReport");
    expect(out.report).toBe("out:merged");
    expect(Object.keys(out.files).sort()).toEqual([
      "promotion/" + SHA + ".json",
      "status",
      "summary.json",
      "summary.txt",
    ]);
    expect(out.files.status).toBe("passed\n");
    expect(JSON.parse(out.files[`promotion/${SHA}.json`])).toMatchObject({
      commit: SHA,
      status: "passed",
      passed: 3,
      report: "html/index.html",
      finishedAt: "2026-12-04T18:00:00.000Z",
    });
    expect(out.warnings).toEqual(["warning: the plan's own warning", "warning: the Slack webhook did not take it"]);
    expect(JSON.parse(out.files["summary.json"]).warnings).toEqual(out.warnings);
    expect(out.files["summary.txt"]).toMatch(/^e2e \(smoke\): passed\n[\s\S]*warning: the plan's own warning\n/);
  });

  it("turns a shard that wrote no blob and one that was killed into problems naming the runner's re-run", async () => {
    const f = fakePorts({
      shards: [
        { exitCode: 1, killed: false, seconds: 3 },
        { exitCode: 137, killed: true, seconds: 4, blob: "blob-2" },
      ],
    });
    const out = await e2eFlow(plan, ctx, f.ports);
    expect(f.calls).not.toContain(expect.stringMatching(/^merge/));
    expect(out.summary.status).toBe("failed");
    expect(out.summary.problems).toEqual([
      "shard 1 of 2 exited 1 and wrote no blob report (report-1.zip): re-run it with `npm run pipeline -- end-to-end-shard --index 1 --total 2 --suite smoke --base-url http://web --api-url http://api --out blob-1`",
      expect.stringMatching(/^shard 2 of 2 was killed \(exit 137, out of memory\?\)/),
      "no blob report at all: every shard died before writing one, so merge-reports was not run",
      "no merged report: merge-reports failed or no shard wrote a blob",
    ]);
    expect(out.files.status).toBe("failed\n");
    expect(out.report).toBe("out:empty");
  });

  it("raises e2e-failed for a red run, and says when an alert channel was down", async () => {
    const red = JSON.stringify(reportOf({ "a.spec.ts": [fail("home @smoke")], "b.spec.ts": [pass("books @smoke")] }));
    const f = fakePorts({ merge: { exitCode: 1, killed: false, report: "merged", results: red } });
    const out = await e2eFlow(plan, ctx, f.ports);
    expect(f.alerts).toEqual([
      {
        kind: "e2e-failed",
        text: `E2E (smoke) failed on ${SHA.slice(0, 12)}: 1 failed: a.spec.ts › a page › home @smoke`,
      },
    ]);
    expect(out.warnings).toContain(
      "warning: the warning alert channel #1 (ALERT_WEBHOOK_WARNING) did not take an alert",
    );
    expect(f.calls).toContain("notify failed");
  });

  it("records and reports a red run even when the notification and the alert throw, naming each as a warning", async () => {
    const red = JSON.stringify(reportOf({ "a.spec.ts": [fail("home @smoke")], "b.spec.ts": [pass("books @smoke")] }));
    const f = fakePorts({ merge: { exitCode: 1, killed: false, report: "merged", results: red } });
    f.ports.notify = async () => {
      throw new Error('failed to resolve image "docker.io/curlimages/curl:8.11.1": not found\nsecond line');
    };
    f.ports.alert = async () => {
      throw new Error("connection refused");
    };
    const out = await e2eFlow(plan, ctx, f.ports);
    expect(out.summary.status).toBe("failed");
    expect(f.calls).toContain("writeRecord failed");
    expect(f.calls.at(-1)).toBe("writeReport");
    expect(out.warnings).toContain(
      'warning: the E2E notification could not be sent (failed to resolve image "docker.io/curlimages/curl:8.11.1": not found); the E2E result stands',
    );
    expect(out.warnings).toContain(
      "warning: the E2E alert could not be sent (connection refused); the E2E result stands",
    );
  });

  // A port that throws before it returns a promise (the host's notify read .env as it was called): the throw escaped
  // Promise.allSettled, so the run ended exit 2 after its tests with no record and no report (h15e2e).
  it("records and reports a red run when a port throws as it is called, not only from its promise", async () => {
    const red = JSON.stringify(reportOf({ "a.spec.ts": [fail("home @smoke")], "b.spec.ts": [pass("books @smoke")] }));
    const f = fakePorts({ merge: { exitCode: 1, killed: false, report: "merged", results: red } });
    f.ports.notify = () => {
      throw new Error("input error: /repo/.env is a FIFO, not a file");
    };
    const out = await e2eFlow(plan, ctx, f.ports);
    expect(f.calls).toContain("writeRecord failed");
    expect(f.calls.at(-1)).toBe("writeReport");
    expect(out.warnings).toContain(
      "warning: the E2E notification could not be sent (input error: /repo/.env is a FIFO, not a file); the E2E result stands",
    );
  });

  it("says so when merge-reports ran but wrote no results", async () => {
    const f = fakePorts({ merge: { exitCode: 2, killed: false } });
    const out = await e2eFlow(plan, ctx, f.ports);
    expect(out.summary.problems).toContain("merge-reports exited (exit 2) and wrote no report");
  });

  // The merged results.json comes from the repository's Playwright and config (h15e2e): a shape the summary cannot walk
  // threw a TypeError, so no notification, no red record, and the last run's green status and record stood.
  it("turns a results.json the summary cannot walk into a red run that still tells, records and writes its report", async () => {
    const results =
      '{"suites": [{"title": "x", "specs": [{"title": "t", "file": "a", "tests": null}]}], "stats": {"duration": 1}}';
    const f = fakePorts({ merge: { exitCode: 0, killed: false, report: "merged", results } });
    const out = await e2eFlow(plan, ctx, f.ports);
    expect(out.summary.status).toBe("failed");
    expect(out.summary.problems).toContain(
      "merge-reports wrote a results.json that is not a Playwright JSON report (suites[0].specs[0].tests is not a list)",
    );
    expect(f.calls).toEqual(expect.arrayContaining(["notify failed", "writeRecord failed", "writeReport"]));
    expect(out.files.status).toBe("failed\n");
  });

  it("names why the merge's results could not be read (a results.json too big to read)", async () => {
    const problem = "merge-reports' results.json is 600 MiB, more than the 128 MiB the runner reads";
    const f = fakePorts({ merge: { exitCode: 0, killed: false, report: "merged", problem } });
    const out = await e2eFlow(plan, ctx, f.ports);
    expect(out.summary.status).toBe("failed");
    expect(out.summary.problems).toEqual([problem, "no merged report: merge-reports failed or no shard wrote a blob"]);
    expect(f.calls).toContain("writeRecord failed");
  });

  it("writes no promotion record file without a commit", async () => {
    const out = await e2eFlow(plan, { ...ctx, commit: undefined }, fakePorts().ports);
    expect(Object.keys(out.files).sort()).toEqual(["status", "summary.json", "summary.txt"]);
  });
});

describe("e2eMergeFlow", () => {
  it("merges the blobs other machines sent beside the backend E2E, naming each missing shard's re-run", async () => {
    const f = fakePorts();
    const out = await e2eMergeFlow(plan, ctx, ["report-1.zip", "notes.txt"], "blobs-dir", f.ports);
    expect(f.calls).toContain("merge blobs-dir");
    expect(f.calls).not.toContain("runShards");
    expect(out.summary.shards.map((s) => [s.index, s.exitCode, s.seconds])).toEqual([
      [1, 0, null],
      [2, 1, null],
    ]);
    expect(out.summary.problems[0]).toMatch(
      /^shard 2 of 2 sent no blob report \(report-2\.zip\): re-run its job, or `npm run pipeline -- end-to-end-shard --index 2/,
    );
    expect(out.files.status).toBe("failed\n");
  });

  it("runs no merge when no blob arrived", async () => {
    const f = fakePorts();
    const out = await e2eMergeFlow(plan, ctx, [], "blobs-dir", f.ports);
    expect(f.calls.filter((c) => c.startsWith("merge"))).toEqual([]);
    expect(out.summary.problems).toContain(
      "no blob report at all: pass --blobs the directory holding every shard's report-<i>.zip",
    );
  });

  it("runs no quality job while every check is off", async () => {
    const f = fakePorts();
    const out = await e2eFlow(plan, ctx, f.ports);
    expect(f.calls).not.toContain("runQuality");
    expect(out.summary.quality).toBeUndefined();
  });

  it("runs the quality job after the merge; a failed check makes the run red, alerts, and its folder goes in the report", async () => {
    const q = parseConfig("quality:\n  a11y: { enabled: true }\n");
    const withA11y = planE2e(q, { ...INPUT, qualityTools: "/tools" });
    const axe = {
      page: "/",
      violations: [{ id: "image-alt", impact: "critical", help: "Alt", nodes: [{ target: ["img"] }] }],
    };
    const f = fakePorts({ quality: { outputs: { ".e2e/quality/a11y/home.json": JSON.stringify(axe) }, dir: "qdir" } });
    const out = await e2eFlow(withA11y, ctx, f.ports);
    expect(f.calls.indexOf("runQuality")).toBeGreaterThan(f.calls.indexOf("merge blob-1,blob-2"));
    expect(out.summary.status).toBe("failed");
    expect(out.summary.quality?.[0].verdict).toMatch(
      /^a11y: FAILED, 1 violation at or above serious: critical image-alt on \/ \(1×: img\): Alt/,
    );
    expect(out.files["summary.txt"]).toMatch(/^a11y: FAILED, 1 violation at or above serious: critical image-alt/m);
    expect(f.alerts[0].text).toMatch(/: 0 failed; a11y: FAILED, 1 violation at or above serious: critical image-alt/);
    expect(f.written.quality).toBe("qdir");
    expect(JSON.parse(out.files[`promotion/${SHA}.json`]).status).toBe("failed");
  });
});
