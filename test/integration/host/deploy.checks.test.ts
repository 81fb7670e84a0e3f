import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStagingServer, stopStagingServer, type StagingServer } from "../../../scripts/host/staging/server";
import { runDeployRequest, runPipeline, type CliResult } from "../../support/cli";
import { copyExample } from "../../support/example";
import { webhookReceiver, type Receiver } from "../../support/webhookReceiver";
import { keyCopyDirs } from "../../../scripts/host/target";

const SHA = "3520442e4dc3c5bc938a31806b1e6a4d20cd12bc";

/**
 * Every check a deploy makes before it takes the lock, against a real loopback staging server (sshd, nginx, PM2,
 * FerretDB): each bad input exits 2 with the fix, and the server is left exactly as it was: no lock, no release dir,
 * no release log line, no alert.
 */
describe("deploy checks before the lock", () => {
  let s: StagingServer;
  let root: string;
  let app: ReturnType<typeof copyExample>;
  let artifact: string;
  let alerts: Receiver;
  const serverJson = () => join(s.base, "shared/server.json");
  let goodServerJson: string;

  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    ...process.env,
    STAGING_SERVER_DIR: s.dir,
    STAGING_SECRET_DATABASE_URI: `mongodb://127.0.0.1:${s.mongoPort}/autoauthor_staging`,
    ALERT_WEBHOOK_CRITICAL: alerts.url,
    TMPDIR: join(root, "tmp"),
    ...extra,
  });
  const deploy = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    runPipeline(["deploy-staging", "--source", app.dir, ...args], env(extra));

  /** Nothing on the server changed, no alert went out and no key copy stayed behind. */
  function expectUntouched(r: CliResult, message: RegExp): void {
    expect(r.stderr).toMatch(message);
    expect(r.exitCode, r.output).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(s.base, ".dep/deploy.lock"))).toBe(false);
    expect(existsSync(join(s.base, ".dep/releases.jsonl"))).toBe(false);
    expect(readdirSync(join(s.base, "releases"))).toEqual([]);
    expect(alerts.got).toEqual([]);
    expect(keyCopyDirs(join(root, "tmp"))).toEqual([]);
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "deploy-checks-"));
    s = await startStagingServer(join(root, "staging"));
    mkdirSync(join(s.base, "releases"), { recursive: true });
    goodServerJson = readFileSync(serverJson(), "utf8");
    alerts = await webhookReceiver();
    app = copyExample();
    writeFileSync(join(app.dir, "pipeline.yaml"), "deploy:\n  watch: { windowSeconds: 0 }\n");
    // A release in the layout buildArtifact writes; the checks never get as far as running it.
    artifact = join(root, "artifact");
    for (const d of ["frontend", "backend"]) mkdirSync(join(artifact, d), { recursive: true });
    writeFileSync(join(artifact, "frontend/server.js"), "");
    writeFileSync(join(artifact, "ecosystem.config.cjs"), "module.exports = { apps: [] };\n");
  }, 120_000);
  beforeEach(() => {
    rmSync(join(root, "tmp"), { recursive: true, force: true });
    mkdirSync(join(root, "tmp"));
    writeFileSync(serverJson(), goodServerJson);
    alerts.got.length = 0;
  });
  afterAll(async () => {
    await stopStagingServer(s.dir);
    await alerts?.close();
    app?.remove();
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it("refuses --artifact /nonexistent with exit 2 and the fix, before any lock, release, log line or alert", async () => {
    const r = await deploy(["--artifact", "/nonexistent", "--commit", SHA]);
    expectUntouched(r, /--artifact \/nonexistent is not a directory\. Fix: .*scripts\/buildArtifact\.ts/);
    expect(r.output).not.toMatch(/re-run the deploy/);
  }, 60_000);

  it("refuses an artifact that is not a Next standalone build", async () => {
    const bare = join(root, "not-standalone");
    mkdirSync(join(bare, "frontend/.next"), { recursive: true });
    const r = await deploy(["--artifact", bare, "--commit", SHA]);
    expectUntouched(r, /has no frontend\/server\.js: it is not a Next standalone build/);
  }, 60_000);

  it("refuses an --artifact built from another commit than --commit (its REVISION), before the lock", async () => {
    const other = join(root, "other-commit");
    cpSync(artifact, other, { recursive: true });
    writeFileSync(join(other, "REVISION"), "1234567890abcdef1234567890abcdef12345678\n");
    const r = await deploy(["--artifact", other, "--commit", SHA]);
    expectUntouched(
      r,
      new RegExp(`was built from commit 1234567890abcdef1234567890abcdef12345678 \\(its REVISION\\), not ${SHA}`),
    );
  }, 60_000);

  it("refuses a source that is not a git checkout when no --commit says what is deployed", async () => {
    const r = await deploy(["--artifact", artifact]);
    expectUntouched(r, /--source .* is not a git checkout.*Fix: deploy from a git clone, or pass --commit/s);
  }, 60_000);

  it("refuses a source whose next.config does not ask for a standalone build, before building", async () => {
    const cfg = join(app.dir, "frontend/next.config.ts");
    const saved = readFileSync(cfg, "utf8");
    writeFileSync(cfg, saved.replace(/output: "standalone",/, ""));
    try {
      const r = await deploy(["--commit", SHA]);
      expectUntouched(r, /next\.config\.ts does not ask for a standalone build.*Fix: add output: "standalone"/s);
      expect(r.output).not.toMatch(/next build/);
    } finally {
      writeFileSync(cfg, saved);
    }
  }, 60_000);

  it("builds from frontend.path and backend.path: a frontend in web/ is the one checked before building", async () => {
    const moved = join(root, "moved");
    rmSync(moved, { recursive: true, force: true });
    cpSync(app.dir, moved, { recursive: true });
    renameSync(join(moved, "frontend"), join(moved, "web"));
    renameSync(join(moved, "backend"), join(moved, "api"));
    writeFileSync(join(moved, "pipeline.yaml"), "frontend:\n  path: web\nbackend:\n  path: api\n");
    const cfg = join(moved, "web/next.config.ts");
    writeFileSync(cfg, readFileSync(cfg, "utf8").replace(/output: "standalone",/, ""));
    const r = await runPipeline(["deploy-staging", "--source", moved, "--commit", SHA], env());
    expectUntouched(r, /--source \S+: web\/next\.config\.ts does not ask for a standalone build/);
  }, 60_000);

  it.each([
    ["not JSON", '{"path": "/usr/bin", '],
    ["missing nginx", JSON.stringify({ path: "/bin", pm2Home: "/x", pm2: "pm2", publicPort: 80 })],
  ])(
    "reads a corrupt shared/server.json (%s) before the lock, so the lock never leaks",
    async (_, text) => {
      writeFileSync(serverJson(), text);
      const r = await deploy(["--artifact", artifact, "--commit", SHA]);
      expectUntouched(r, /shared\/server\.json (is not valid JSON|has no ).*nothing was changed on the server/s);
    },
    60_000,
  );

  it("refuses a key ssh cannot read and a known_hosts without this host's line, before connecting", async () => {
    const badKey = await deploy(["--artifact", artifact, "--commit", SHA], {
      STAGING_SSH_KEY: "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n-----END OPENSSH PRIVATE KEY-----\n",
    });
    expectUntouched(badKey, /STAGING_SSH_KEY is not a private key ssh can use/);
    const otherHost = await deploy(["--artifact", artifact, "--commit", SHA], {
      STAGING_KNOWN_HOSTS: s.knownHosts.replace(/^\S+/, "[elsewhere.example.com]:22"),
    });
    expectUntouched(
      otherHost,
      new RegExp(`STAGING_KNOWN_HOSTS has no usable host key line for \\[127\\.0\\.0\\.1\\]:${s.sshPort}`),
    );
  }, 120_000);

  it("refuses a malformed request on the Dagger path with exit 2, before any connection", async () => {
    const file = join(root, "request.json");
    const target = { name: "prodution", host: "127.0.0.1", port: s.sshPort, user: "root", basePath: s.base };
    const files = { sshKey: s.keyFile, knownHosts: "/nonexistent", secrets: {}, alerts: {} };
    const request = { version: 1, action: "rollback", target, files, source: app.dir, config: "pipeline.yaml" };
    writeFileSync(file, JSON.stringify({ ...request, requestedAt: new Date().toISOString() }));
    const r = await runDeployRequest(file, env());
    expectUntouched(r, /deploy request refused: target.name is not staging or production/);
  }, 60_000);

  /**
   * `current` must be the link a deploy renames a new one over (mv -T), `releases` a folder of this base. Edited by
   * hand into something else, the deploy used to upload, install and run the migration, then fail at the switch with
   * "mv: cannot overwrite directory"; a rollback moved nginx to the target and then failed the same way, exit 1, with
   * nothing in the release log saying what now served.
   */
  it.each([
    [
      "current is a folder (a release copied by hand)",
      "current",
      (p: string) => mkdirSync(join(p, "frontend"), { recursive: true }),
      /`current` is a folder, not the link a deploy switches/,
    ],
    [
      "current is a file",
      "current",
      (p: string) => writeFileSync(p, "x"),
      /`current` is a file, not the link a deploy switches/,
    ],
    [
      "releases is a link out of the base",
      "releases",
      (p: string) => execFileSync("ln", ["-s", root, p]),
      /`releases` is a link, not the folder of this base's releases/,
    ],
  ])(
    "refuses a base where %s, before the lock, on deploy and rollback, with the fix",
    async (_, name, make, message) => {
      const path = join(s.base, name);
      const saved = `${path}.saved`;
      const had = existsSync(path);
      if (had) renameSync(path, saved);
      try {
        make(path);
        const d = await deploy(["--artifact", artifact, "--commit", SHA]);
        expect(d.stderr).toMatch(message);
        expect(d.stderr).toMatch(/nothing was changed on the server\. Fix: .*(mv|rm) /);
        expect(d.exitCode, d.output).toBe(2);
        const r = await runPipeline(["rollback", "--source", app.dir], env());
        expect(r.stderr).toMatch(message);
        expect(r.exitCode, r.output).toBe(2);
        expect(existsSync(join(s.base, ".dep/deploy.lock"))).toBe(false);
        expect(existsSync(join(s.base, ".dep/releases.jsonl"))).toBe(false);
        expect(alerts.got).toEqual([]);
      } finally {
        rmSync(path, { recursive: true, force: true });
        if (had) renameSync(saved, path);
      }
    },
    60_000,
  );

  /**
   * `.dep/deploy.lock` is a file a run creates and removes. Edited by hand into a link to /dev/null, every deploy wrote
   * its holder through it and went on: two at once both "held" the lock. A FIFO blocked the lock step for ever (a
   * SIGTERM waited on it too); a folder failed under the lock with "Is a directory" and a critical alert.
   */
  it.each([
    ["a link to /dev/null", (p: string) => execFileSync("ln", ["-s", "/dev/null", p]), "a link"],
    ["a FIFO", (p: string) => execFileSync("mkfifo", [p]), "a FIFO, socket or device"],
    ["a folder", (p: string) => mkdirSync(p), "a folder"],
  ])(
    "refuses a base whose .dep/deploy.lock is %s, before the lock, on deploy and rollback, with the fix",
    async (_, make, kind) => {
      const lock = join(s.base, ".dep/deploy.lock");
      mkdirSync(join(s.base, ".dep"), { recursive: true });
      make(lock);
      const had = readdirSync(join(s.base, ".dep"));
      try {
        const message = `\`.dep/deploy.lock\` is ${kind}, not the file a deploy's lock is`;
        const d = await deploy(["--artifact", artifact, "--commit", SHA]);
        expect(d.stderr, d.output).toContain(message);
        expect(d.stderr).toContain(`nothing was changed on the server. Fix: `);
        expect(d.stderr).toContain(`mv ${lock} ${lock}.by-hand`);
        expect(d.exitCode, d.output).toBe(2);
        const r = await runPipeline(["rollback", "--source", app.dir], env());
        expect(r.stderr).toContain(message);
        expect(r.exitCode, r.output).toBe(2);
        expect(readdirSync(join(s.base, ".dep")), "no lock, temp file or release log").toEqual(had);
        expect(alerts.got).toEqual([]);
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    },
    60_000,
  );

  /**
   * A laptop without rsync took the lock, made the release dir, logged it started and sent a critical alert, then
   * failed at the upload with "rsync: command not found"; without ssh-keygen the key was said to be unusable.
   */
  it.each([
    ["rsync", "deploy-staging"],
    ["ssh", "deploy-staging"],
    ["ssh-keygen", "deploy-staging"],
    ["ssh", "rollback"],
  ])(
    "refuses a PATH without %s on %s with exit 2 naming it, before any connection",
    async (missing, command) => {
      const bin = join(root, "bin");
      rmSync(bin, { recursive: true, force: true });
      mkdirSync(bin);
      for (const tool of ["node", "bash", "sh", "env", "git", "ssh", "ssh-keygen", "rsync"].filter(
        (t) => t !== missing,
      ))
        execFileSync("ln", [
          "-s",
          execFileSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim(),
          bin,
        ]);
      const args =
        command === "rollback" ? ["rollback", "--source", app.dir] : ["--artifact", artifact, "--commit", SHA];
      const r =
        command === "rollback" ? await runPipeline(args, env({ PATH: bin })) : await deploy(args, { PATH: bin });
      expectUntouched(r, new RegExp(`missing tool: ${missing} is not on PATH; .*apt-get install`));
    },
    60_000,
  );

  it("prints an unlock command that works as typed: with -i and the pinned known_hosts", async () => {
    const lock = join(s.base, ".dep/deploy.lock");
    mkdirSync(join(s.base, ".dep"), { recursive: true });
    writeFileSync(lock, JSON.stringify({ by: "ci@runner pid 42", since: "2026-11-26T23:00:00Z", release: "x" }));
    try {
      const r = await deploy(["--artifact", artifact, "--commit", SHA]);
      expect(r.exitCode).toBe(1);
      const typed = /unlock with:\n\s+(.+)/.exec(r.stderr)?.[1];
      expect(typed, r.stderr).toMatch(/^ssh -i \S+ -p \d+ .*UserKnownHostsFile=/);
      execFileSync("bash", ["-c", typed!], { env: { PATH: process.env.PATH!, HOME: root }, timeout: 20_000 });
      expect(existsSync(lock)).toBe(false);
    } finally {
      rmSync(lock, { force: true });
      rmSync(join(s.base, ".dep"), { recursive: true, force: true });
    }
  }, 60_000);
});
