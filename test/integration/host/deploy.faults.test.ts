import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { $ } from "zx";
import { parseReleaseLog } from "../../../ci/src/plan/deploy/releaseLog";
import { freePort } from "../../../scripts/host/services";
import { startLoad, type LoadReport } from "../../../scripts/host/loadGenerator";
import type { CliResult } from "../../support/cli";
import { deployFixture, SHA, type DeployFixture } from "../../support/deployFixture";

/**
 * Zero downtime and the fault matrix on a real loopback staging server, under a loopback load
 * generator that hits nginx's public port (frontend root and backend /api/v1/health), each request on a
 * new connection (`Connection: close`): nginx's graceful reload closes idle kept-alive client connections,
 * which a keep-alive client can see as a reset (bench/deploy.ts reports that count too).
 * DEPLOY_BASE is a tmpfs so the disk can really fill up.
 */
describe("deploy under load and under injected faults", () => {
  let f: DeployFixture;
  const big = () => randomBytes(96 * 1024 * 1024);

  /**
   * The contract of every fault: non-zero exit with `message`, current unchanged and serving, lock released, 0 failed
   * requests.
   */
  async function expectSafeFailure(r: CliResult, load: LoadReport, before: string, message: RegExp): Promise<void> {
    expect(r.stderr).toMatch(message);
    expect(r.exitCode).toBe(1);
    expect(f.currentId()).toBe(before);
    expect(await f.serving()).toBe(before);
    expect(f.locked()).toBe(false);
    expect(load.failures).toEqual([]);
    expect(load.failed).toBe(0);
    expect(load.ok).toBeGreaterThan(50);
  }

  beforeAll(async () => {
    f = await deployFixture({ tmpfsBase: true });
    const first = await f.deploy(f.artifact, SHA);
    expect(first.exitCode, first.output).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await f?.close();
  }, 60_000);

  it("counts requests to a stopped instance as failures (the load generator can see a drop)", async () => {
    const closed = await freePort();
    const load = startLoad({ urls: [`http://127.0.0.1:${closed}/`], keepAlive: true, maxSeconds: 0.3 });
    const r = await load.done;
    expect(r.failed).toBeGreaterThan(0);
    expect(r.failures[0]).toMatch(/ECONNREFUSED/);
  });

  it("deploys a one-file change with 0 failed requests, switching the served release under load", async () => {
    const before = f.currentId();
    const next = f.variant("one-file", { "frontend/public/robots.txt": "User-agent: *\n" });
    const { result: r, load } = await f.underLoad(() => f.deploy(next, "1111111aaaa"));
    expect(r.exitCode, r.output).toBe(0);
    const now = f.currentId();
    expect(now).not.toBe(before);
    expect(await f.serving()).toBe(now);
    expect(load.failures).toEqual([]);
    expect(Object.keys(load.perUrl[`http://127.0.0.1:${f.s.publicPort}/api/v1/health`].releases).sort()).toEqual(
      [before, now].sort(),
    );
  }, 180_000);

  it("rolls back to the warm previous release with 0 failed requests and marks the abandoned one BAD", async () => {
    const abandoned = f.currentId();
    const { result: r, load } = await f.underLoad(() => f.rollback());
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toMatch(/live and healthy [\d.]+ s after the lock \(warm standby\)/);
    expect(f.currentId()).not.toBe(abandoned);
    expect(await f.serving()).toBe(f.currentId());
    expect(load.failures).toEqual([]);
    expect(parseReleaseLog(readFileSync(join(f.s.base, ".dep/releases.jsonl"), "utf8"))).toContainEqual(
      expect.objectContaining({ id: abandoned, status: "bad", reason: "abandoned by rollback" }),
    );
  }, 120_000);

  it("keeps current serving when rsync is killed mid-transfer", async () => {
    const before = f.currentId();
    const heavy = f.variant("heavy", { "frontend/public/big.bin": big() });
    const { result, load } = await f.underLoad(async () => {
      const run = f.deploy(heavy, "2222222bbbb");
      const killed = await killServerRsync(f.s.base);
      return { r: await run, killed };
    });
    expect(result.killed, "rsync --server was never seen: the transfer ended before the kill").toBe(true);
    await expectSafeFailure(result.r, load, before, /deploy failed at upload: .*current is untouched/s);
    expect(f.releases()).not.toContainEqual(expect.stringMatching(/-2222222$/));
  }, 180_000);

  it("fails clearly when SSH is unreachable (nothing listens on the port)", async () => {
    const before = f.currentId();
    const closed = String(await freePort());
    // known_hosts pins the closed port too, so the pre-lock checks pass and the connection itself is what fails.
    const knownHosts = f.s.knownHosts.replace(`]:${f.s.sshPort} `, `]:${closed} `);
    const { result: r, load } = await f.underLoad(() =>
      f.deploy(f.artifact, "3333333cccc", { STAGING_SSH_PORT: closed, STAGING_KNOWN_HOSTS: knownHosts }),
    );
    await expectSafeFailure(
      r,
      load,
      before,
      new RegExp(
        `check server failed on .*:${closed}.*Connection refused.*check the connection with: ssh -i \\S+ -p ${closed}`,
        "s",
      ),
    );
  }, 60_000);

  it.runIf(process.getuid?.() === 0)(
    "fails clearly and cleans up when the disk fills during the upload",
    async (ctx) => {
      if (!f.tmpfs) return ctx.skip("mount -t tmpfs did not work here, so the disk cannot be filled for real");
      const before = f.currentId();
      const used = Number((await $({ quiet: true })`df -B1 --output=used ${f.s.base}`).stdout.trim().split("\n")[1]);
      await $({ quiet: true })`mount -o remount,size=${used + 48 * 1024 * 1024} ${f.s.base}`;
      try {
        const heavy = f.variant("heavy", { "frontend/public/big.bin": big() });
        const { result: r, load } = await f.underLoad(() => f.deploy(heavy, "4444444dddd"));
        await expectSafeFailure(
          r,
          load,
          before,
          /deploy failed at upload: .*No space left on device.*current is untouched/s,
        );
        expect(f.releases()).not.toContainEqual(expect.stringMatching(/-4444444$/));
      } finally {
        await $({ quiet: true })`mount -o remount,size=1g ${f.s.base}`;
      }
    },
    180_000,
  );
});

/** Wait for the server side of the upload (`rsync --server … <base>/releases/…`) and kill -9 it. */
async function killServerRsync(base: string): Promise<boolean> {
  for (let i = 0; i < 1500; i++) {
    const pids = (
      await $({ quiet: true, nothrow: true })`pgrep -f ${`rsync --server.*${base}/releases/`}`
    ).stdout.trim();
    if (pids) {
      await $({ quiet: true, nothrow: true })`kill -9 ${pids.split("\n")}`;
      return true;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}
