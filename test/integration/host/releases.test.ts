import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStagingServer, stopStagingServer, type StagingServer } from "../../../scripts/host/staging/server";
import { runPipeline } from "../../support/cli";

const A = "20261101T100000Z-aaaaaaa";
const B = "20261102T100000Z-bbbbbbb";
const C = "20261103T100000Z-ccccccc";
/** A release dir with no line in the log: a deploy killed before it logged anything. */
const D = "20261104T100000Z-ddddddd";

/** `rollback --list` over the pinned ssh of a real loopback staging server whose releases this test lays out. */
describe("rollback --list", () => {
  let root: string;
  let s: StagingServer;
  const env = () => ({ ...process.env, STAGING_SERVER_DIR: s.dir, STAGING_SECRET_DATABASE_URI: "mongodb://x/y" });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "releases-"));
    s = await startStagingServer(join(root, "staging"));
    for (const id of [A, B, C, D]) mkdirSync(join(s.base, "releases", id), { recursive: true });
    symlinkSync(join(s.base, "releases", C), join(s.base, "current"));
    const line = (id: string, status: string) =>
      `${JSON.stringify({ id, status, commit: id.slice(-7), time: "2026-11-03T10:00:00Z" })}\n`;
    writeFileSync(
      join(s.base, ".dep/releases.jsonl"),
      line(A, "deployed") + line(B, "deployed") + line(B, "bad") + line(C, "deployed"),
    );
  }, 120_000);
  afterAll(async () => {
    await stopStagingServer(s.dir);
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it("is what a mistyped --to tells the user to run, and lists the releases without changing any", async () => {
    const odd = await runPipeline(["rollback", "--to", "../x"], env());
    expect(odd.exitCode, odd.output).toBe(2);
    expect(odd.stderr).toMatch(/list them with: npm run pipeline -- rollback --target staging --list/);
    const r = await runPipeline(["rollback", "--list"], env());
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      "releases on staging, newest first:",
      `  ${D}  not in the release log`,
      `  ${C}  current, deployed`,
      `  ${B}  BAD (never a rollback target)`,
      `  ${A}  deployed, <- rollback goes here`,
      "roll back with: npm run pipeline -- rollback --target staging (or --to <id> for another good one)",
    ]);
  }, 120_000);

  it.each([
    ["a BAD release", () => B, /is marked BAD|BAD/],
    [
      "a release with no line in the log (half-finished)",
      () => D,
      /never passed a health check, so it is no rollback target/,
    ],
    ["the release that serves now", () => C, /current|already/],
  ])(
    "refuses --to %s, exit 2 with the list command, nothing moved",
    async (_, id, message) => {
      const r = await runPipeline(["rollback", "--to", id()], env());
      expect(r.exitCode, r.output).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(readlinkSync(join(s.base, "current"))).toBe(join(s.base, "releases", C));
      expect(existsSync(join(s.base, ".dep/deploy.lock"))).toBe(false);
    },
    60_000,
  );

  /**
   * A failed listing prints the ssh command to check the connection with. It named the run's own key and known_hosts
   * copies (`$TMPDIR/deploy-keys-<uid>/deploy-ssh-<pid>-*`), removed as the run ends, so it never worked as typed.
   */
  it("prints a connection check that names files that outlive the run", async () => {
    const r = await runPipeline(["rollback", "--list"], { ...env(), STAGING_DEPLOY_PATH: join(s.base, "missing") });
    expect(r.exitCode, r.output).toBe(1);
    const typed = /Check the connection: (ssh .*)$/m.exec(r.stderr)?.[1] ?? "";
    const files = [/ -i (\S+)/, /UserKnownHostsFile=(\S+)/].map((re) => re.exec(typed)?.[1] ?? "");
    expect(
      files.map((f) => [f, existsSync(f)]),
      r.stderr,
    ).toEqual(files.map((f) => [f, true]));
  }, 60_000);
});
