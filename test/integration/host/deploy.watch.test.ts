import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReleaseLog, type ReleaseLogEntry } from "../../../ci/src/plan/deploy/releaseLog";
import { freePort } from "../../../scripts/host/services";
import { startLoad } from "../../../scripts/host/loadGenerator";
import { deployFixture, SHA, type DeployFixture } from "../../support/deployFixture";
import { webhookReceiver, type Receiver } from "../../support/webhookReceiver";

/**
 * The watch window after the switch, migrations and alert routing on a real loopback staging server
 * (sshd, nginx writing its access log, PM2, the example app). Faulty releases carry backend/fault.json
 * (examples/app/backend/app/fault.py). Two loads run through nginx: "api" on the backend, the traffic
 * the fault shows in; "web" on the frontend root, which has no fault, so any failure it sees is
 * caused by the switch or the rollback itself.
 */
describe("after the switch: watch window, migrations, alerts", () => {
  let f: DeployFixture;
  let hooks: Receiver;
  const yaml = (extra = "") =>
    writeFileSync(
      join(f.appDir, "pipeline.yaml"),
      `deploy:\n  health: { attempts: 6, intervalSeconds: 1 }\n  watch: { windowSeconds: 10, minRequests: 20 }\n${extra}`,
    );
  const log = (): ReleaseLogEntry[] => parseReleaseLog(readFileSync(join(f.s.base, ".dep/releases.jsonl"), "utf8"));
  const url = (path: string) => `http://127.0.0.1:${f.s.publicPort}${path}`;

  /** Deploy `artifact` under the two loads. */
  async function deployUnderLoad(artifact: string, commit: string, env: NodeJS.ProcessEnv = {}, apiWorkers = 4) {
    const api = startLoad({
      urls: [url("/api/v1/health?load=api")],
      keepAlive: false,
      concurrency: apiWorkers,
      timeoutMs: 15_000,
      maxSeconds: 300,
    });
    const web = startLoad({ urls: [url("/")], keepAlive: false, concurrency: 1, pauseMs: 200, maxSeconds: 300 });
    try {
      const r = await f.deploy(artifact, commit, env);
      return { r, api: await api.stop(), web: await web.stop() };
    } finally {
      await Promise.all([api.stop(), web.stop()]);
    }
  }

  beforeAll(async () => {
    f = await deployFixture();
    hooks = await webhookReceiver();
    yaml();
    const first = await f.deploy(f.artifact, SHA);
    expect(first.exitCode, first.output).toBe(0);
  }, 400_000);
  afterAll(async () => {
    await hooks?.close();
    await f?.close();
  }, 180_000);

  it("keeps a healthy release after watching its real traffic, and logs the verdict and figures", async () => {
    const before = f.currentId();
    const next = f.variant("healthy", { "frontend/public/robots.txt": "User-agent: *\n" });
    const info = `${hooks.url}/info?t=1`;
    const summary = join(f.root, "step-summary.md");
    const { r, api, web } = await deployUnderLoad(next, "1111111aaaa", {
      ALERT_WEBHOOK_INFO: info,
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(r.exitCode, r.output).toBe(0);
    expect(f.currentId()).not.toBe(before);
    expect(r.stdout).toMatch(/watch 10 s: HEALTHY: \d+ requests, 0 5xx \(0\.0 %\), p95 [\d.]+ s/);
    const done = log()
      .filter((e) => e.status === "deployed")
      .at(-1)!;
    expect(done.id).toBe(f.currentId());
    expect(done.watch).toMatchObject({ outcome: "healthy", windowSeconds: 10, errors: 0 });
    expect(done.watch!.requests).toBeGreaterThanOrEqual(20);
    expect(api.failed + web.failed, JSON.stringify(api.failures)).toBe(0);
    expect(hooks.got.map((g) => [g.path, g.body.event])).toContainEqual(["/info", "deploy-done"]);
    expect(r.output).not.toContain(info);
    expect(readFileSync(summary, "utf8")).toMatch(
      /### deploy staging: \S+ deployed[\s\S]*\| healthy \| 10 s \| \d+ \| 0 \|/,
    );
  }, 300_000);

  it("rolls back a release failing 10 % of requests, marks it BAD, routes the alert as critical, leaks no URL", async () => {
    const before = f.currentId();
    const bad = f.variant("errors", { "backend/fault.json": JSON.stringify({ errorRate: 0.1 }) });
    const closed = await freePort();
    const critical = `${hooks.url}/crit?token="a b"&x=$HOME'q\nhttp://127.0.0.1:${closed}/down?s3cr=t $x`;
    const warning = `${hooks.url}/warn?k=w a r n`;
    hooks.got.length = 0;
    const env = { ALERT_WEBHOOK_CRITICAL: critical, ALERT_WEBHOOK_WARNING: warning };
    const { r, api, web } = await deployUnderLoad(bad, "2222222bbbb", env);
    expect(r.exitCode, r.output).toBe(1);
    expect(r.stderr).toMatch(
      /deploy failed at watch: watch 10 s: ROLLBACK: \d+ requests, \d+ 5xx .*error rate [\d.]+ % > 5 %/,
    );
    expect(r.stdout).toMatch(/serves again [\d.]+ s after the watch saw the breach/);
    expect(f.currentId()).toBe(before);
    expect(await f.serving()).toBe(before);
    const marked = log().find((e) => e.status === "bad" && e.id.endsWith("-2222222"))!;
    expect(marked.watch).toMatchObject({ outcome: "rollback", windowSeconds: 10 });
    expect(marked.watch!.errorRatePercent).toBeGreaterThan(5);
    // The rollback itself fails nothing: the fault-free frontend saw 0 failures; the API only the injected 500s.
    expect(web.failures).toEqual([]);
    expect(
      api.failures.every((x) => x.endsWith("HTTP 500")),
      api.failures.join("\n"),
    ).toBe(true);
    expect(hooks.got.map((g) => [g.path, g.body.event, g.body.severity])).toEqual(
      expect.arrayContaining([
        ["/crit", "rollback", "critical"],
        ["/warn", "webhook-down", "warning"],
      ]),
    );
    for (const secret of [...critical.split("\n"), warning, `$HOME'q`, "s3cr=t"]) {
      expect(r.output).not.toContain(secret);
      for (const g of hooks.got) expect(g.raw).not.toContain(secret);
    }
    expect(r.stdout).toMatch(/warning: the critical alert channel #2 \(ALERT_WEBHOOK_CRITICAL\) did not take an alert/);
  }, 300_000);

  it("rolls back a release whose p95 exceeds 5 s, with 0 failed requests", async () => {
    const before = f.currentId();
    // Every load request (?load=api) of the new release takes 6 s; the deploy's own health checks are
    // not slowed. Only requests that finish inside the window are logged, so a partial delay rate left
    // the slow share of logged requests near the 5 % the p95 needs (CI once logged 261, none slow).
    const fault = { delayRate: 1, delaySeconds: 6, matchQuery: "load=api" };
    const slow = f.variant("slow", { "backend/fault.json": JSON.stringify(fault) });
    const { r, api, web } = await deployUnderLoad(slow, "3333333cccc", {}, 12);
    expect(r.exitCode, r.output).toBe(1);
    expect(r.stderr).toMatch(/deploy failed at watch: .*ROLLBACK: .*p95 [\d.]+ s > 5 s/);
    expect(f.currentId()).toBe(before);
    expect(await f.serving()).toBe(before);
    expect(api.failures.concat(web.failures)).toEqual([]);
    const seconds = Number(/serves again ([\d.]+) s after/.exec(r.stdout)?.[1]);
    expect(seconds).toBeLessThanOrEqual(5);
  }, 300_000);

  it("runs deploy.migrate once per release on the server before traffic moves", async () => {
    // Into its own release dir: on the bundled staging server a migration runs confined, and the rest of DEPLOY_BASE
    // (shared/server.json, `current`, the other releases, .dep) is read-only to it, as to the app.
    const log =
      'echo "$RELEASE_ID $(readlink "$DEPLOY_BASE/current")" >> "$DEPLOY_BASE/releases/$RELEASE_ID/migrations.log"';
    yaml(`  migrate: '${log}'\n`);
    const before = f.currentId();
    const next = f.variant("migrated", { "frontend/public/m.txt": "m\n" });
    const { r, web } = await deployUnderLoad(next, "4444444dddd");
    expect(r.exitCode, r.output).toBe(0);
    const lines = readFileSync(join(f.s.base, "releases", f.currentId(), "migrations.log"), "utf8")
      .trim()
      .split("\n");
    // One line, written while `current` still pointed at the previous release.
    expect(lines).toEqual([`${f.currentId()} releases/${before}`]);
    expect(web.failures).toEqual([]);
  }, 300_000);

  it("stops the deploy at a failing migration with the old release still serving and no failed request", async () => {
    yaml(`  migrate: 'echo "column books.isbn already exists" >&2; exit 3'\n`);
    const before = f.currentId();
    const next = f.variant("migrate-fails", { "frontend/public/n.txt": "n\n" });
    const { r, api, web } = await deployUnderLoad(next, "5555555eeee");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /deploy failed at migrate: .*column books.isbn already exists.*previous release still serves/s,
    );
    expect(f.currentId()).toBe(before);
    expect(await f.serving()).toBe(before);
    expect(f.locked()).toBe(false);
    expect(f.releases()).not.toContainEqual(expect.stringMatching(/-5555555$/));
    expect(api.failures.concat(web.failures)).toEqual([]);
    yaml();
  }, 300_000);
});
