import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { $ } from "zx";
import type { CliResult } from "../../support/cli";
import { tinyStaging, type TinyStaging } from "../../support/tinyStaging";

/**
 * The server's disk fills up for real: DEPLOY_BASE is a 16 MB ext4 image mounted on loop, and the upload, the install
 * (`uv sync` writing the venv) or the lock itself runs out of space. Each time: a clear error that says the disk is
 * full, `current` still at the good release and serving, the lock released, the new release removed, and the next
 * deploy, once there is space, works.
 */
describe.runIf(process.getuid?.() === 0)("deploy when the server's disk is full", () => {
  let t: TinyStaging;
  let good: string;
  const filler = () => join(t.s.base, "filler");
  const unfill = () => ["", ".rest"].forEach((x) => rmSync(filler() + x, { force: true }));
  const freeKb = async () =>
    Number((await $({ quiet: true })`df -k --output=avail ${t.s.base}`).stdout.trim().split("\n")[1]);
  const kbOf = async (p: string) => Number((await $({ quiet: true })`du -sk ${p}`).stdout.split("\t")[0]);
  /** Fill the disk so that `kb` KB stay free (0: write until the file system says it is full). */
  const leaveFree = async (kb: number) => {
    // ext4 needs a few blocks of its own for a big file's extents: allocate less, then write the rest byte by byte.
    const size = (await freeKb()) - (kb || 64);
    if (size > 0) await $({ quiet: true })`fallocate -l ${size}K ${filler()}`;
    if (kb === 0) await $({ quiet: true, nothrow: true })`dd if=/dev/zero of=${filler()}.rest bs=1K`;
  };

  async function expectSafe(r: CliResult, task: string): Promise<void> {
    expect(r.stderr).toMatch(new RegExp(`deploy failed at ${task}: .*No space left on device`, "s"));
    expect(r.stderr).toMatch(/the server's disk is full: free space under .* \(df -h .*\), then re-run the deploy/);
    expect(r.exitCode, r.output).toBe(1);
    expect(t.currentId()).toBe(good);
    expect(await t.serving()).toBe(good);
    expect(t.locked()).toBe(false);
    expect(t.releases()).toEqual([good]);
  }

  beforeAll(async () => {
    t = await tinyStaging({ baseMb: 16 });
    const r = await t.deploy("1111111aaaa");
    expect(r.exitCode, r.output).toBe(0);
    good = t.currentId();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  it("mid-rsync: a release bigger than the disk", async () => {
    const big = t.variant("big", { "frontend/public/big.bin": randomBytes(32 * 1024 * 1024) });
    const r = await t.deploy("2222222bbbb", big);
    await expectSafe(r, "upload");
    expect(t.log()).toContainEqual(expect.objectContaining({ status: "failed", commit: "2222222bbbb" }));
  }, 120_000);

  it("mid-install: the upload fits, uv's venv does not", async () => {
    const venv = await kbOf(join(t.s.base, "releases", good, "backend/.venv"));
    expect(venv, "the venv must be big enough to split").toBeGreaterThan(30);
    // The upload links unchanged files to the current release: it needs a few KB of dirs and one file.
    try {
      await leaveFree(12 + Math.floor(venv / 3));
      const r = await t.deploy("3333333cccc", t.variant("one-file", { "frontend/public/x.txt": "x\n" }));
      await expectSafe(r, "install");
    } finally {
      unfill();
    }
  }, 120_000);

  it("before the lock: a disk with no space left at all", async () => {
    try {
      await leaveFree(0);
      expect(await freeKb()).toBe(0);
      const r = await t.deploy("4444444dddd");
      expect(r.stderr).toMatch(/No space left on device/);
      expect(r.stderr).toMatch(/the server's disk is full/);
      expect(r.stderr).not.toMatch(/locked by/i);
      expect(r.exitCode, r.output).toBe(1);
      expect(t.locked(), "no empty lock file may stay behind").toBe(false);
      expect(t.currentId()).toBe(good);
      expect(await t.serving()).toBe(good);
    } finally {
      unfill();
    }
  }, 120_000);

  it("once there is space again, the next deploy works and nothing deployed was lost", async () => {
    expect(existsSync(filler())).toBe(false);
    const r = await t.deploy("5555555eeee");
    expect(r.exitCode, r.output).toBe(0);
    expect(t.releases()).toEqual([good, t.currentId()].sort());
    expect(await t.serving()).toBe(t.currentId());
    const rb = await t.rollback();
    expect(rb.exitCode, rb.output).toBe(0);
    expect(t.currentId()).toBe(good);
  }, 120_000);
});
