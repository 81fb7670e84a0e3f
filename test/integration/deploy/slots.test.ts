import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultHealthPolicy } from "../../../ci/src/plan/deploy/stage";
import type { DeployContext } from "../../../scripts/deploy/context";
import { localRemote, RemoteError } from "../../../scripts/deploy/remote";
import { startSlot, stopSlot } from "../../../scripts/deploy/slots";

const PM2 = resolve(import.meta.dirname, "../../../node_modules/.bin/pm2");

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
  const port = (s.address() as { port: number }).port;
  await new Promise((ok) => s.close(ok));
  return port;
}

/**
 * PM2's client waits on its daemon without end, and the daemon runs the app: repository code that can stop it
 * (`kill -STOP`) or hang it. A release whose backend stopped the bundled staging server's daemon at start deployed
 * fine (it served), and the next deploy's `pm2 delete` waited for ever in its reload task, holding the lock, with
 * `current` already switched and the key copy kept; a CI timeout's SIGKILL left all three. Here a real PM2 daemon in
 * a PM2_HOME of its own, really stopped, and the slot task run by this machine's bash (the server's side, as
 * scripts/serverDeploy.ts runs it), with a 2 s bound from server.json.
 */
describe("the slot task's pm2 commands, with PM2's daemon stopped", () => {
  let base: string;
  let pm2Home: string;
  let daemon = 0;
  const ID = "20261206T000000Z-1234567";
  let ports: number[];

  const ctx = (): DeployContext => ({
    remote: localRemote(),
    base,
    plan: { releaseId: ID, commit: "1234567", keep: 5, health: { ...defaultHealthPolicy(), attempts: 1 } },
    artifactDir: "",
    secrets: {},
    by: "test",
    log: () => {},
    server: {
      path: `${resolve(PM2, "..")}:/usr/bin:/bin`,
      pm2Home,
      pm2: PM2,
      pm2TimeoutSeconds: 2,
      publicPort: 80,
      frontendPorts: [ports[0]],
      backendPorts: [ports[1]],
      nginx: { upstreamsFile: join(base, "upstreams.conf"), reload: ["true"] },
    },
    state: { locked: true, created: true, switched: true },
  });
  const pm2 = (...args: string[]) =>
    spawnSync(PM2, args, { env: { ...process.env, PM2_HOME: pm2Home }, encoding: "utf8", timeout: 60_000 });

  beforeAll(async () => {
    base = realpathSync(mkdtempSync(join(tmpdir(), "slots-pm2-")));
    pm2Home = join(base, "pm2");
    ports = [await freePort(), await freePort()];
    const release = join(base, "releases", ID);
    mkdirSync(release, { recursive: true });
    // Both "apps" answer 200 on their port, as the release's frontend and backend would.
    writeFileSync(
      join(release, "serve.js"),
      'require("node:http").createServer((q, r) => r.end("ok")).listen(Number(process.env.PORT), "127.0.0.1");\n',
    );
    writeFileSync(
      join(release, "ecosystem.config.cjs"),
      `const p = require("node:path");
module.exports = { apps: ["frontend", "backend"].map((k, i) => ({
  name: k + "-s" + process.env.DEPLOY_SLOT + "-0", script: p.join(__dirname, "serve.js"), autorestart: false,
  env: { PORT: String(${JSON.stringify(ports)}[i]) } })) };
`,
    );
    expect(pm2("ping").stdout).toContain("pong");
    daemon = Number(readFileSync(join(pm2Home, "pm2.pid"), "utf8"));
  }, 90_000);
  afterAll(() => {
    // SIGKILL ends a stopped process too; its apps (it started them, detached) go with their process group.
    if (daemon) spawnSync("bash", ["-c", `pkill -KILL -P ${daemon}; kill -KILL ${daemon}`]);
    rmSync(base, { recursive: true, force: true });
  });

  it("starts a release in a slot while the daemon answers", async () => {
    const state = { active: 1, releases: ["", ""] };
    await startSlot(ctx(), 0, ID, state);
    expect(state.releases[0]).toBe(ID);
    expect(await (await fetch(`http://127.0.0.1:${ports[1]}/api/v1/health`)).text()).toBe("ok");
  }, 60_000);

  it("gives up on a stopped daemon within the bound, saying what happened and the fix, in start and stop", async () => {
    process.kill(daemon, "SIGSTOP");
    for (const [what, run] of [
      ["start", () => startSlot(ctx(), 0, ID, { active: 1, releases: ["", ""] })],
      ["stop", () => stopSlot(ctx(), 0, { active: 1, releases: [ID, ""] })],
    ] as const) {
      const t = Date.now();
      const err = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, what).toBeInstanceOf(RemoteError);
      const msg = (err as Error).message;
      expect(msg, what).toMatch(/pm2 delete got no answer from PM2's daemon within 2 s and was stopped/);
      expect(msg, what).toMatch(/PM2's daemon \(PM2_HOME=.*\) does not answer: it is stopped or hung/);
      expect(msg, what).toContain(`timeout 10 env PM2_HOME=${pm2Home} ${PM2} ping`);
      expect(msg, what).toMatch(/kill -CONT <pid> when its stat is T \(stopped\)/);
      // 2 s, and KILL 5 s after the TERM at most: nothing like the for ever before.
      expect(Date.now() - t, what).toBeLessThan(12_000);
    }
    expect(spawnSync("pgrep", ["-f", `${PM2} delete`]).status, "no pm2 client of it is left").toBe(1);
  }, 40_000);
});
