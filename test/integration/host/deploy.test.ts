import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { $ } from "zx";
import { assembleArtifact } from "../../../scripts/host/artifact";
import { startStagingServer, stopStagingServer, type StagingServer } from "../../../scripts/host/staging/server";
import { runPipeline } from "../../support/cli";
import { copyExample, EXAMPLE } from "../../support/example";
import { filesHolding } from "../../support/leaks";

/** The host runner's deploy commands on a loopback sshd, rsync, PM2 (own PM2_HOME), nginx and a MongoDB stand-in. */
const SECRET = `mongodb://127.0.0.1:PORT/autoauthor_staging?x="q'uo"ted&y=$HOME and spaces\\back\\slash\nsecond line`;
const SHA = "3520442e4dc3c5bc938a31806b1e6a4d20cd12bc";

describe("deploy-staging / rollback on a real loopback staging server", () => {
  let s: StagingServer;
  let root: string;
  let artifact: string;
  let app: ReturnType<typeof copyExample>;
  const env = () => ({
    ...process.env,
    STAGING_SERVER_DIR: s.dir,
    STAGING_SECRET_DATABASE_URI: SECRET.replace("PORT", String(s.mongoPort)),
  });
  const deploy = (args: string[] = [], extra: NodeJS.ProcessEnv = {}) =>
    runPipeline(["deploy-staging", "--artifact", artifact, "--commit", SHA, "--source", app.dir, ...args], {
      ...env(),
      ...extra,
    });
  const releases = () => readdirSync(join(s.base, "releases")).sort();
  const current = () => readFileSync(join(s.base, "current/REVISION"), "utf8");
  const health = async () => (await fetch(`http://127.0.0.1:${s.publicPort}/api/v1/health`)).status;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "deploy-it-"));
    s = await startStagingServer(join(root, "staging"));
    app = copyExample();
    await $({
      quiet: true,
    })`cp -al ${join(EXAMPLE, "frontend/node_modules")} ${join(app.dir, "frontend/node_modules")}`;
    writeFileSync(
      join(app.dir, "pipeline.yaml"),
      "deploy:\n  health: { attempts: 6, intervalSeconds: 1 }\n  watch: { windowSeconds: 0 }\n",
    );
    await $({
      cwd: join(app.dir, "frontend"),
      quiet: true,
      env: { ...process.env, NEXT_PUBLIC_API_URL: `http://127.0.0.1:${s.publicPort}`, NEXT_TELEMETRY_DISABLED: "1" },
    })`npm run build`;
    artifact = assembleArtifact(app.dir, join(root, "artifact"), SHA);
  }, 240_000);
  afterAll(async () => {
    await stopStagingServer(s.dir);
    app?.remove();
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it("deploys, serves the app healthy, writes the secret byte for byte with mode 600 and never prints it", async () => {
    const r = await deploy();
    expect(r.output).toMatch(/deployed \d{8}T\d{6}Z-3520442 to staging/);
    expect(r.exitCode).toBe(0);
    expect(await health()).toBe(200);
    const file = join(s.base, "shared/env/DATABASE_URI");
    expect(readFileSync(file, "utf8")).toBe(SECRET.replace("PORT", String(s.mongoPort)));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(r.output).not.toContain("q'uo");
    expect(r.output).not.toContain("second line");
    expect(filesHolding(s.dir, ["q'uo", "second line"])).toEqual([]);
  }, 180_000);

  it("rejects a missing secret, a bad port, a bad host and keep = 0 before touching the server", async () => {
    const before = releases();
    const missing = await deploy([], { STAGING_SECRET_DATABASE_URI: "" });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/STAGING_SECRET_DATABASE_URI is not set/);
    const port = await deploy([], { STAGING_SSH_PORT: "99999" });
    expect(port.exitCode).toBe(2);
    expect(port.stderr).toMatch(/STAGING_SSH_PORT is "99999", not a TCP port/);
    const host = await deploy([], { STAGING_SSH_HOST: "-oProxyCommand=touch /tmp/pwned" });
    expect(host.exitCode).toBe(2);
    expect(host.stderr).toMatch(/"-oProxyCommand=touch \/tmp\/pwned" is not a hostname or IP address/);
    expect(existsSync("/tmp/pwned")).toBe(false);
    const keep = await deploy(["--keep", "0"]);
    expect(keep.exitCode).toBe(2);
    expect(keep.stderr).toMatch(/--keep "0" is not a whole number from 1 to 50; pass e\.g\. --keep 5/);
    expect(releases()).toEqual(before);
    expect(existsSync(join(s.base, ".dep/deploy.lock"))).toBe(false);
  }, 60_000);

  it("refuses a wrong host key with a clear message and changes nothing", async () => {
    const before = current();
    const r = await deploy([], {
      STAGING_KNOWN_HOSTS: `[127.0.0.1]:${s.sshPort} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHGgqbgX8n1ICnhX8WbGwQeYbC1aJ5VAKcV3IqGuM1Hq`,
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/check server failed on .*Host key verification failed.*nothing was changed/s);
    expect(current()).toBe(before);
  }, 60_000);

  it("fails at once while another deploy holds the lock, naming the holder, since when and the unlock command", async () => {
    const lock = join(s.base, ".dep/deploy.lock");
    writeFileSync(lock, JSON.stringify({ by: "ci@runner pid 42", since: "2026-11-26T23:00:00Z", release: "x" }));
    try {
      const r = await deploy();
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/Deploy locked by ci@runner pid 42 since 2026-11-26T23:00:00Z/);
      expect(r.stderr).toMatch(new RegExp(`ssh -i \\S+ -p ${s.sshPort} `));
      expect(r.stderr).toContain(`rm ${s.base}/.dep/deploy.lock`);
    } finally {
      rmSync(lock, { force: true });
    }
  }, 60_000);

  it("removes the release and keeps current serving when install fails", async () => {
    const bad = join(root, "bad-install");
    cpSync(artifact, bad, { recursive: true });
    writeFileSync(join(bad, "backend/uv.lock"), "this is not a lockfile\n");
    const before = releases();
    const r = await runPipeline(["deploy-staging", "--artifact", bad, "--commit", SHA, "--source", app.dir], env());
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/deploy failed at install: .*current is untouched/s);
    expect(releases()).toEqual(before);
    expect(await health()).toBe(200);
    expect(existsSync(join(s.base, ".dep/deploy.lock"))).toBe(false);
  }, 120_000);

  it("rolls back automatically when the new release never turns healthy, and marks it BAD", async () => {
    const good = readFileSync(join(s.base, "current/REVISION"), "utf8");
    const bad = join(root, "never-healthy");
    cpSync(artifact, bad, { recursive: true });
    writeFileSync(join(bad, "backend/app/main.py"), 'raise SystemExit("injected: this release never starts")\n');
    // Its own commit, as its REVISION says (a deploy refuses an artifact built from another commit than --commit).
    const badCommit = "badbadbadbadbadbadbadbadbadbadbadbadbadb";
    writeFileSync(join(bad, "REVISION"), `${badCommit}\n`);
    const r = await runPipeline(
      ["deploy-staging", "--artifact", bad, "--commit", badCommit, "--source", app.dir],
      env(),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/rolled back automatically: current is .* again and healthy; .* is marked BAD/);
    expect(current()).toBe(good);
    expect(await health()).toBe(200);
    expect(readFileSync(join(s.base, ".dep/releases.jsonl"), "utf8")).toMatch(/"status":"bad"/);
    expect(existsSync(join(s.base, ".dep/deploy.lock"))).toBe(false);
  }, 180_000);

  it("rejects an unknown release id on rollback and a rollback with no previous good release", async () => {
    const unknown = await runPipeline(["rollback", "--to", "20200101T000000Z-0000000", "--source", app.dir], env());
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/release 20200101T000000Z-0000000 does not exist; releases on the server:/);
    const odd = await runPipeline(["rollback", "--to", "../x", "--source", app.dir], env());
    expect(odd.exitCode).toBe(2);
    const none = await runPipeline(["rollback", "--source", app.dir], env());
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/no previous good release to roll back to/);
  }, 60_000);
});
