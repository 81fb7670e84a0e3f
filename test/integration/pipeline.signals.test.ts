import { execFileSync, execSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

/** The processes still running in a process group (pgrep exits 1 for none); a zombie waiting to be reaped is not. */
function groupMembers(pgid: number): string[] {
  try {
    return execSync(`pgrep -g ${pgid} -a`, { encoding: "utf8" })
      .trim()
      .split("\n")
      .filter((l) => l && !l.endsWith("<defunct>"));
  } catch {
    return [];
  }
}

/**
 * A supervisor, `kill <pid>` or a CI runner signals the process it started: for `npm run pipeline -- …`, npm. npm
 * forwards SIGTERM and SIGINT to its child only, which was `sh -c "tsx scripts/pipeline.ts"`, and sh passed neither
 * on: npm ended at once while the pipeline went on unseen (a 2026-12-06 hostile run's `kill -TERM <npm pid>` during
 * a deploy's upload: npm gone, then the orphaned deploy switched traffic, lock and key copy held meanwhile). Here the
 * rollback's server check waits on a host that accepts TCP and never answers, so it is still running at the signal.
 */
it("SIGTERM to npm of `npm run pipeline -- rollback` reaches the pipeline: exit 143, nothing left running", async () => {
  const silent = createServer(() => {});
  await new Promise<void>((ok) => silent.listen(0, "127.0.0.1", ok));
  const port = (silent.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), "npm-signal-"));
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "id"), "-C", "ci"]);
  const pub = readFileSync(join(dir, "id.pub"), "utf8").split(" ").slice(0, 2).join(" ");
  const holder = join(dir, `deploy-keys-${process.getuid?.() ?? 0}`);
  const keyDirs = () => (existsSync(holder) ? readdirSync(holder) : []);
  const env = {
    ...process.env,
    TMPDIR: dir,
    STAGING_SERVER_DIR: join(dir, "no-staging"),
    STAGING_SSH_HOST: "127.0.0.1",
    STAGING_SSH_PORT: String(port),
    STAGING_SSH_USER: "deploy",
    STAGING_DEPLOY_PATH: "/srv/app",
    STAGING_SSH_KEY_FILE: join(dir, "id"),
    STAGING_KNOWN_HOSTS: `[127.0.0.1]:${port} ${pub}`,
  };
  const npm = spawn("npm", ["run", "--silent", "pipeline", "--", "rollback"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  npm.stdout.on("data", (d) => (out += d));
  npm.stderr.on("data", (d) => (out += d));
  try {
    while (!keyDirs().length && npm.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    npm.kill("SIGTERM");
    const [code, signal] = await new Promise<[number | null, string | null]>((ok) =>
      npm.on("exit", (c, s) => ok([c, s])),
    );
    const left = groupMembers(npm.pid!);
    expect(left, out).toEqual([]);
    expect({ code, signal }, out).toEqual({ code: 143, signal: null });
    expect(out).toContain("interrupted by SIGTERM");
    expect(keyDirs()).toEqual([]);
  } finally {
    try {
      process.kill(-npm.pid!, "SIGKILL");
    } catch {
      // the group is gone
    }
    silent.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
