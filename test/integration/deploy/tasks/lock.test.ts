import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultHealthPolicy } from "../../../../ci/src/plan/deploy/stage";
import type { DeployContext } from "../../../../scripts/deploy/context";
import { localRemote, RemoteError } from "../../../../scripts/deploy/remote";
import { DeployLockedError, lock } from "../../../../scripts/deploy/tasks/lock";

/**
 * The lock task on real bash in a temp base (the server's side, as scripts/serverDeploy.ts runs it), with whatever a
 * hand edit can leave at .dep/deploy.lock between the server check and the lock. Before: a link to /dev/null was
 * written through (every run "held" the lock), and a FIFO blocked the task for ever.
 */
describe("lock", () => {
  let base: string;
  const path = () => join(base, ".dep/deploy.lock");
  const ctx = (): DeployContext => ({
    remote: localRemote(),
    base,
    plan: { releaseId: "20261206T000000Z-1234567", commit: "1234567", keep: 5, health: defaultHealthPolicy() },
    artifactDir: "",
    secrets: {},
    by: "ci@runner pid 7",
    log: () => {},
    state: { locked: false, created: false, switched: false },
  });

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), "lock-task-"));
    mkdirSync(join(base, ".dep"));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it("takes an absent lock, writing the holder, and leaves no temp file", async () => {
    const c = ctx();
    await lock(c);
    expect(c.state.locked).toBe(true);
    expect(JSON.parse(readFileSync(path(), "utf8"))).toMatchObject({ by: "ci@runner pid 7" });
    expect(readdirSync(join(base, ".dep"))).toEqual(["deploy.lock"]);
  });

  it("names the holder of a lock another run holds", async () => {
    await lock(ctx());
    await expect(lock(ctx())).rejects.toThrow(DeployLockedError);
    await expect(lock(ctx())).rejects.toThrow(/Deploy locked by ci@runner pid 7 since \S+Z/);
    expect(readdirSync(join(base, ".dep"))).toEqual(["deploy.lock"]);
  });

  it.each([
    ["a link to /dev/null", () => symlinkSync("/dev/null", path())],
    ["a dangling link", () => symlinkSync(join(base, "nowhere"), path())],
    ["a FIFO", () => execFileSync("mkfifo", [path()])],
    ["a folder", () => mkdirSync(path())],
  ])(
    "is refused at once, nothing written through, when the lock is %s",
    async (_, make) => {
      make();
      const c = ctx();
      const taking = lock(c);
      await expect(taking).rejects.toThrow(RemoteError);
      await expect(taking).rejects.toThrow("could not write .dep/deploy.lock: it is no file (edited by hand?)");
      expect(c.state.locked).toBe(false);
      expect(readdirSync(join(base, ".dep"))).toEqual(["deploy.lock"]);
    },
    10_000,
  );
});
