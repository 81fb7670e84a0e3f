import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReleaseLog } from "../../../ci/src/plan/deploy/releaseLog";
import { startLoad } from "../../../scripts/host/loadGenerator";
import { deployFixture, SHA, type DeployFixture } from "../../support/deployFixture";

/**
 * Canary releases on a real loopback staging server: nginx weights between the blue and green
 * slots through the steps, each step watched through nginx's access log. "api" load hits the
 * backend (where a fault shows), "web" the frontend root, which has no fault: its failures would
 * be caused by the weight changes or the rollback themselves.
 */
describe("canary deploy", () => {
  let f: DeployFixture;
  const url = (path: string) => `http://127.0.0.1:${f.s.publicPort}${path}`;

  async function deployUnderLoad(artifact: string, commit: string, args: string[] = []) {
    const api = startLoad({ urls: [url("/api/v1/health")], keepAlive: false, concurrency: 4, maxSeconds: 300 });
    const web = startLoad({ urls: [url("/")], keepAlive: false, concurrency: 1, pauseMs: 100, maxSeconds: 300 });
    try {
      const r = await f.deploy(artifact, commit, {}, args);
      return { r, api: await api.stop(), web: await web.stop() };
    } finally {
      await Promise.all([api.stop(), web.stop()]);
    }
  }

  beforeAll(async () => {
    f = await deployFixture();
    writeFileSync(
      join(f.appDir, "pipeline.yaml"),
      "deploy:\n  health: { attempts: 6, intervalSeconds: 1 }\n  watch: { windowSeconds: 6, minRequests: 10 }\n  canary: { steps: [10, 50, 100] }\n",
    );
    const first = await f.deploy(f.artifact, SHA);
    expect(first.exitCode, first.output).toBe(0);
  }, 400_000);
  afterAll(async () => {
    await f?.close();
  }, 120_000);

  it("moves traffic through 10 % and 50 % to 100 % (--strategy canary), measuring each slot's share", async () => {
    const before = f.currentId();
    const next = f.variant("canary-ok", { "frontend/public/robots.txt": "User-agent: *\n" });
    const { r, api, web } = await deployUnderLoad(next, "1111111aaaa", ["--strategy", "canary"]);
    expect(r.exitCode, r.output).toBe(0);
    const now = f.currentId();
    expect(now).not.toBe(before);
    expect(await f.serving()).toBe(now);
    const steps = [...r.stdout.matchAll(/canary (\d+) %: \S+ served (\d+) of (\d+) requests \(([\d.]+) %\)/g)].map(
      (m) => ({ percent: Number(m[1]), next: Number(m[2]), total: Number(m[3]), measured: Number(m[4]) }),
    );
    console.log(`canary shares measured: ${JSON.stringify(steps)}`);
    expect(steps.map((s) => s.percent)).toEqual([10, 50]);
    for (const s of steps) {
      expect(s.total).toBeGreaterThan(50);
      expect(Math.abs(s.measured - s.percent), JSON.stringify(s)).toBeLessThan(s.percent === 10 ? 6 : 12);
    }
    expect(r.stdout).toMatch(/canary 100 %: nginx routes every request to/);
    expect(api.failures.concat(web.failures)).toEqual([]);
  }, 300_000);

  it("returns 100 % to the old slot when the first step breaches, with no failed request on the fault-free frontend", async () => {
    const before = f.currentId();
    const bad = f.variant("canary-bad", { "backend/fault.json": JSON.stringify({ errorRate: 0.5 }) });
    const { r, api, web } = await deployUnderLoad(bad, "2222222bbbb", ["--strategy", "canary"]);
    expect(r.exitCode, r.output).toBe(1);
    expect(r.stderr).toMatch(/deploy failed at reload: watch 6 s: ROLLBACK: .*error rate [\d.]+ % > 5 %/);
    expect(r.stdout).not.toMatch(/canary 10 %: .*healthy/);
    expect(f.currentId()).toBe(before);
    for (let i = 0; i < 20; i++) expect(await f.serving()).toBe(before);
    expect(web.failures).toEqual([]);
    expect(
      api.failures.every((x) => x.endsWith("HTTP 500")),
      api.failures.join("\n"),
    ).toBe(true);
    const log = parseReleaseLog(readFileSync(join(f.s.base, ".dep/releases.jsonl"), "utf8"));
    expect(log.find((e) => e.status === "bad" && e.id.endsWith("-2222222"))?.watch?.outcome).toBe("rollback");
  }, 300_000);
});
