import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyStaging, type TinyStaging } from "../../support/tinyStaging";

/**
 * What a deploy finds in releases/ besides its releases, on the real loopback staging server: a half-finished release
 * a dead run left (no log line), a folder an admin keeps there, a name with a newline. Only release ids are the
 * deploy's to remove.
 */
describe("a deploy and what else is in releases/", () => {
  let t: TinyStaging;
  beforeAll(async () => {
    t = await tinyStaging();
    const r = await t.deploy("1111111aaaa");
    expect(r.exitCode, r.output).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  it("removes a half-finished release, and leaves a folder that is not a release, even one named like two", async () => {
    const rel = join(t.s.base, "releases");
    const good = t.currentId();
    const half = "20261201T000000Z-abcdef0";
    mkdirSync(join(rel, half, "frontend"), { recursive: true });
    writeFileSync(join(rel, half, "frontend/server.js"), "half");
    mkdirSync(join(rel, "notes"));
    writeFileSync(join(rel, "notes/keep.txt"), "the admin's notes");
    const odd = `x\n${good}`;
    mkdirSync(join(rel, odd));

    const r = await t.deploy("2222222bbbb");
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toContain(`release: removing ${half}, left unfinished by an earlier run`);
    expect(existsSync(join(rel, half))).toBe(false);
    expect(t.log()).toContainEqual(expect.objectContaining({ id: half, status: "failed" }));
    expect(r.stdout).not.toMatch(/removing (notes|x)\b/);
    expect(readFileSync(join(rel, "notes/keep.txt"), "utf8")).toBe("the admin's notes");
    expect(existsSync(join(rel, odd))).toBe(true);
    expect(r.stdout).toMatch(/cleanup: 0 removed, 2 kept/);
    expect(t.releases()).toEqual([good, t.currentId(), "notes", odd].sort());
  }, 180_000);
});
