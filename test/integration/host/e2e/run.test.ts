import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { parseReport, reportedTests } from "../../../../ci/src/plan/e2e/playwrightReport";
import { startLocalApp, type LocalApp } from "../../../../scripts/host/exampleApp";
import { TOOLS_BIN } from "../../../../scripts/host/stage";
import { freePort } from "../../../../scripts/host/services";
import { runPipeline } from "../../../support/cli";
import { BROKEN_SPEC, flakySpec, linkFrontendDeps, startReceiver } from "../../../support/e2eFixtures";
import { copyExample } from "../../../support/example";
import { filesHolding } from "../../../support/leaks";
import { checkPromotion, parsePromotionRecord } from "../../../../ci/src/plan/deploy/promotion";
import { startStagingServer, stopStagingServer } from "../../../../scripts/host/staging/server";
import { finishPorts, resolveCommit, type E2eFlags } from "../../../../scripts/host/e2e/run";
import { E2eInputError } from "../../../../ci/src/plan/e2e/stage";

const SHA = "1111111111111111111111111111111111111111";
const env = {
  ...process.env,
  PATH: [TOOLS_BIN, process.env.PATH].join(delimiter),
  SLACK_WEBHOOK_URL: "",
  DISCORD_WEBHOOK_URL: "",
};

/**
 * `npm run pipeline -- end-to-end` on real parts: the example app (a MongoDB stand-in, uvicorn, next standalone)
 * started once for the file from a temp copy, Playwright on Debian Chromium, merge-reports.
 */
describe("e2e on the running example app", () => {
  const copy = copyExample();
  const fe = join(copy.dir, "frontend");
  let app: LocalApp;
  const state = () => mkdtempSync(join(tmpdir(), "e2e-state-"));
  const e2e = (args: string[], stateDir: string, extraEnv: NodeJS.ProcessEnv = {}) =>
    runPipeline(
      [
        "end-to-end",
        "--source",
        copy.dir,
        "--base-url",
        app.baseUrl,
        "--api-url",
        app.apiUrl,
        "--state-dir",
        stateDir,
        "--commit",
        SHA,
        ...(args.includes("--record") ? [] : ["--record", "local"]),
        ...args,
      ],
      { ...env, ...extraEnv },
    );
  const merged = (stateDir: string) => parseReport(readFileSync(join(stateDir, "e2e-report/results.json"), "utf8"));
  const ids = (stateDir: string) => reportedTests(merged(stateDir)).map((t) => `${t.file} › ${t.title}`);
  const record = (stateDir: string) => JSON.parse(readFileSync(join(stateDir, "e2e", `${SHA}.json`), "utf8"));

  beforeAll(async () => {
    linkFrontendDeps(copy.dir);
    app = await startLocalApp(copy.dir, parseConfig(undefined), env, () => {});
  }, 240_000);
  afterAll(async () => {
    await app?.stop();
    copy.remove();
  });

  it("runs the full suite in 4 shards into one merged report holding every test exactly once", async () => {
    const listed = JSON.parse(
      execFileSync("npx", ["playwright", "test", "--list", "--reporter=json"], { cwd: fe, encoding: "utf8" }),
    );
    const expected = reportedTests(listed)
      .map((t) => `${t.file} › ${t.title}`)
      .sort();
    const dir = state();
    const r = await e2e(["--shards", "4", "--suite", "full"], dir);
    expect(r.exitCode, r.output).toBe(0);
    expect(expected).toHaveLength(12);
    expect(ids(dir).sort()).toEqual(expected);
    expect(r.stdout).toMatch(/e2e \(full\): passed\nplaywright: 12 passed, 0 failed, 0 flaky, 0 skipped/);
    expect(r.stdout).toMatch(/shards: 4, mode playwright/);
    expect(r.stdout).toMatch(/slowest shard: \d/);
    expect(r.stdout).toMatch(/backend e2e: 3 passed, 0 failed/);
    expect(existsSync(join(dir, "e2e-report/html/index.html"))).toBe(true);
    expect(readFileSync(join(dir, "e2e-report/junit.xml"), "utf8").match(/<testcase /g)).toHaveLength(12);
    // The Dagger report's verdict file, so end-to-end-verdict reads either runner's report.
    expect(readFileSync(join(dir, "e2e-report/status"), "utf8")).toBe("passed\n");
    expect(record(dir)).toMatchObject({
      commit: SHA,
      status: "passed",
      suite: "full",
      passed: 15,
      failed: 0,
      flaky: 0,
    });

    // The next run balances by this report's file timings: whole files, smoke tests only.
    const next = state();
    const b = await e2e(["--shards", "2", "--suite", "smoke", "--timings", join(dir, "e2e-report/results.json")], next);
    expect(b.exitCode, b.output).toBe(0);
    expect(b.stdout).toMatch(/shards: 2, mode balanced \(previous timings for 5\/5 files: LPT by file\)/);
    expect(ids(next).sort()).toEqual(
      expected.filter((t) => /lists books|health endpoint|Auto-Author title|nav bar/.test(t)),
    );
    expect(JSON.parse(readFileSync(join(next, "e2e-report/summary.json"), "utf8")).mode).toBe("balanced");
  }, 300_000);

  it("lists a test that passes only on the retry as flaky, and stays green", async () => {
    const marker = join(mkdtempSync(join(tmpdir(), "flaky-")), "attempted");
    writeFileSync(join(fe, "e2e/flaky.spec.ts"), flakySpec(marker));
    try {
      const dir = state();
      const r = await e2e(["--shards", "2", "--suite", "smoke"], dir);
      expect(r.exitCode, r.output).toBe(0);
      expect(r.stdout).toMatch(/playwright: 4 passed, 0 failed, 1 flaky/);
      expect(r.stdout).toContain("FLAKY flaky.spec.ts › passes only on the retry (passed on retry)");
      expect(reportedTests(merged(dir)).find((t) => t.file === "flaky.spec.ts")?.test.status).toBe("flaky");
      expect(record(dir)).toMatchObject({ status: "passed", flaky: 1 });
    } finally {
      rmSync(join(fe, "e2e/flaky.spec.ts"));
    }
  }, 180_000);

  it("goes red on a failing spec, still writes the report, and notifies without leaking the webhook URL", async () => {
    writeFileSync(join(fe, "e2e/broken.spec.ts"), BROKEN_SPEC);
    const receiver = await startReceiver();
    const token = `T0K"EN $HOME with spaces`;
    const downToken = "D1SCORD-SECRET";
    try {
      const dir = state();
      const r = await e2e(["--shards", "2", "--suite", "smoke"], dir, {
        SLACK_WEBHOOK_URL: `${receiver.url}/services/${token}`,
        DISCORD_WEBHOOK_URL: `http://127.0.0.1:${await freePort()}/api/webhooks/${downToken}`,
      });
      expect(r.exitCode, r.output).toBe(1);
      expect(r.stdout).toContain("FAILED broken.spec.ts › expects a heading that is not there");
      expect(existsSync(join(dir, "e2e-report/html/index.html"))).toBe(true);
      expect(reportedTests(merged(dir)).find((t) => t.file === "broken.spec.ts")?.test.status).toBe("unexpected");
      expect(record(dir)).toMatchObject({ status: "failed", failed: 1 });

      expect(receiver.received).toHaveLength(1);
      const got = receiver.received[0];
      expect(got.path).toBe(`/services/${encodeURI(token)}`);
      const text = JSON.parse(got.body).text as string;
      expect(text).toMatch(/❌ E2E smoke FAILED for commit 1{40}/);
      expect(text).toContain("broken.spec.ts › expects a heading that is not there");
      expect(text).toContain(join(dir, "e2e-report/html/index.html"));
      for (const secret of [token, encodeURI(token), "T0K", downToken])
        expect(got.body + r.output).not.toContain(secret);
      expect(filesHolding(dir, [token, encodeURI(token), downToken])).toEqual([]);
      expect(r.stderr).toMatch(
        /warning: the Discord webhook did not take the E2E notification \(ECONNREFUSED\); the E2E result stands/,
      );
    } finally {
      rmSync(join(fe, "e2e/broken.spec.ts"));
      await receiver.close();
    }
  }, 180_000);

  it("writes the promotion record on the staging server over ssh, where deploy-production reads it", async () => {
    const dir = state();
    const staging = await startStagingServer(join(dir, "staging"));
    try {
      const r = await e2e(["--shards", "1", "--suite", "smoke", "--record", "staging"], dir, {
        STAGING_SERVER_DIR: staging.dir,
        STAGING_SECRET_DATABASE_URI: "mongodb://unused",
      });
      expect(r.exitCode, r.output).toBe(0);
      const file = join(staging.base, ".dep/e2e", `${SHA}.json`);
      expect(r.stdout).toContain(`promotion record: root@127.0.0.1:${staging.sshPort}:${file}`);
      const record = parsePromotionRecord(readFileSync(file, "utf8"));
      expect(record).toMatchObject({ commit: SHA, status: "passed", suite: "smoke", passed: 7, failed: 0 });
      expect(checkPromotion(record, SHA)).toEqual({ ok: true });
      expect(existsSync(join(dir, "e2e", `${SHA}.json`))).toBe(false);
    } finally {
      await stopStagingServer(staging.dir);
    }
  }, 180_000);
});

describe("resolveCommit", () => {
  it("writes a --commit that is no sha on one line, its newline and escapes as \\x", async () => {
    const run = resolveCommit({ commit: "x\u001b[2J\n$(id)" } as E2eFlags, tmpdir());
    await expect(run).rejects.toThrow(E2eInputError);
    await expect(run).rejects.toThrow("--commit x\\x1b[2J\\x0a$(id) is not a full 40-hex sha");
  });
});

/**
 * merge-reports is the repository's Playwright: what it leaves in the report folder is the repository's. A `status`,
 * `summary.json` or `promotion` of another kind there (a folder where the runner writes a file, a file where it makes a
 * folder) made writeReport throw after the record was written, exit 1 with an EISDIR/ENOTDIR stack trace and no
 * status for end-to-end-verdict (the thirteenth hostile run). The runner's own files replace whatever is at their path.
 */
describe("finishPorts' report", () => {
  it("writes the runner's status, summary and record over anything the merge left at their paths", async () => {
    const dir = mkdtempSync(join(tmpdir(), "e2e-report-kinds-"));
    try {
      const merged = join(dir, "merged");
      mkdirSync(join(merged, "status"), { recursive: true });
      writeFileSync(join(merged, "status", "x"), "passed\n");
      mkdirSync(join(merged, "summary.json"));
      writeFileSync(join(merged, "promotion"), "not a folder");
      writeFileSync(join(merged, "index.html"), "<html></html>");
      const out = join(dir, "out");
      const ports = finishPorts({ reportOut: out, stateDir: dir, record: "local", notifySuccess: false }, {});
      const sha = "a".repeat(40);
      await ports.writeReport(merged, {
        status: "failed\n",
        "summary.json": "{}\n",
        [`promotion/${sha}.json`]: "{}\n",
      });
      expect(readFileSync(join(out, "status"), "utf8")).toBe("failed\n");
      expect(readFileSync(join(out, "summary.json"), "utf8")).toBe("{}\n");
      expect(readFileSync(join(out, "promotion", `${sha}.json`), "utf8")).toBe("{}\n");
      expect(readFileSync(join(out, "index.html"), "utf8")).toBe("<html></html>");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
