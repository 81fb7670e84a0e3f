import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordedDigest } from "../../../ci/src/plan/deploy/manifest";
import { readDirManifest } from "../../../scripts/deploy/manifest";
import { localRemote } from "../../../scripts/deploy/remote";
import { tinyStaging, type TinyStaging } from "../../support/tinyStaging";

/**
 * A release edited on the server after its deploy (a hot-fix by hand, a file removed) is never made live again
 * silently: each deploy records its release's manifest before the switch, and every rollback, by hand or automatic,
 * checks it first. On the real loopback staging server, with the tiny release.
 */
describe("release manifests on the staging server", () => {
  let t: TinyStaging;
  let good: string;
  let second: string;
  const rel = (id: string, p: string) => join(t.s.base, "releases", id, p);

  beforeAll(async () => {
    t = await tinyStaging();
    for (const commit of ["1111111aaaa", "2222222bbbb"]) {
      const r = await t.deploy(commit, t.variant(commit, { "frontend/public/commit.txt": commit }));
      expect(r.exitCode, r.output).toBe(0);
    }
    [good, second] = t.releases();
    expect(t.currentId()).toBe(second);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  it("records each release's digest when it goes live: the digest of the release dir as it is", async () => {
    const digest = recordedDigest(t.log(), good);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await readDirManifest(localRemote(), join(t.s.base, "releases", good))).digest).toBe(digest);
    expect(recordedDigest(t.log(), second)).not.toBe(digest);
  });

  it("leaves out what the running apps write themselves (Python's bytecode, Next's caches)", async () => {
    mkdirSync(rel(good, "backend/app/__pycache__"), { recursive: true });
    writeFileSync(rel(good, "backend/app/__pycache__/main.cpython-311.pyc"), "bytecode");
    mkdirSync(rel(good, "frontend/.next/cache/images"), { recursive: true });
    writeFileSync(rel(good, "frontend/.next/cache/images/x.webp"), "img");
    // What the real example's standalone server wrote once it served `/` (found by deploy.retention.test.ts).
    const route = "frontend/.next/server/route-cache/APP_PAGE/c6377dd9/$/index.segments";
    mkdirSync(rel(good, route), { recursive: true });
    writeFileSync(rel(good, `${route}/_full.segment.rsc`), "rsc");
    const digest = recordedDigest(t.log(), good);
    expect((await readDirManifest(localRemote(), join(t.s.base, "releases", good))).digest).toBe(digest);
  });

  it("refuses a rollback to a release whose file was changed on the server, naming it and the next commands", async () => {
    const server = rel(good, "frontend/server.js");
    const original = readFileSync(server);
    appendFileSync(server, "\n// hot-fixed by hand\n");
    try {
      const r = await t.rollback();
      expect(r.stderr).toContain(`release ${good} was edited on the server after it was deployed`);
      expect(r.stderr).toContain('changed "frontend/server.js"');
      expect(r.stderr).toContain("npm run pipeline -- rollback --target staging --list");
      expect(r.stderr).toContain("npm run pipeline -- deploy-staging");
      expect(r.exitCode, r.output).toBe(1);
      expect(t.currentId()).toBe(second);
      expect(await t.serving()).toBe(second);
      expect(t.locked()).toBe(false);
      expect(t.log().filter((e) => e.id === second && e.status === "bad")).toEqual([]);
    } finally {
      writeFileSync(server, original);
    }
  }, 120_000);

  it("refuses `--to` a release with a file removed or its mode changed, and allows it once it is back", async () => {
    const pyproject = rel(good, "backend/pyproject.toml");
    const original = readFileSync(pyproject);
    rmSync(pyproject);
    const removed = await t.rollback(["--to", good]);
    expect(removed.stderr).toContain('removed "backend/pyproject.toml"');
    expect(removed.exitCode, removed.output).toBe(1);
    writeFileSync(pyproject, original, { mode: 0o755 });
    const chmod = await t.rollback(["--to", good]);
    expect(chmod.stderr).toContain('changed "backend/pyproject.toml"');
    expect(chmod.exitCode, chmod.output).toBe(1);
    expect(t.currentId()).toBe(second);
    expect(t.locked()).toBe(false);

    rmSync(pyproject);
    writeFileSync(pyproject, original, { mode: 0o644 });
    const back = await t.rollback(["--to", good]);
    expect(back.exitCode, back.output).toBe(0);
    expect(back.stdout).toContain(`manifest: ${good} is as deployed`);
    expect(t.currentId()).toBe(good);
    expect(await t.serving()).toBe(good);
  }, 120_000);

  it("refuses a release whose recorded manifest was removed too (the digest in the release log still tells)", async () => {
    // Now good is current (the rollback above returned to it) and second is BAD: deploy a third to roll back from.
    const r = await t.deploy("3333333cccc", t.variant("third", { "frontend/public/commit.txt": "3" }));
    expect(r.exitCode, r.output).toBe(0);
    appendFileSync(rel(good, "frontend/server.js"), "\n// edited\n");
    rmSync(join(t.s.base, ".dep/manifests", good));
    const back = await t.rollback(["--to", good]);
    expect(back.stderr).toContain(`.dep/manifests/${good} was edited or removed too`);
    expect(back.exitCode, back.output).toBe(1);
  }, 120_000);

  it("an automatic rollback skips an edited release and goes to the newest intact one that passed health", async () => {
    // Releases now: good (edited), second (BAD), third (current, intact). Deploy a fourth, edit third, fail a fifth.
    const fourth = await t.deploy("4444444dddd", t.variant("fourth", { "frontend/public/commit.txt": "4" }));
    expect(fourth.exitCode, fourth.output).toBe(0);
    const fourthId = t.currentId();
    const third = t.releases().find((id) => id.endsWith("-3333333"))!;
    appendFileSync(rel(fourthId, "frontend/public/commit.txt"), "edited");
    const never = t.variant("never", { "frontend/server.js": "process.exit(3); // injected: never starts\n" });
    const r = await t.deploy("5555555eeee", never);
    expect(r.stdout).toContain(`automatic rollback skips ${fourthId}: release ${fourthId} was edited`);
    expect(r.stderr).toContain(`rolled back automatically: current is ${third} again and healthy`);
    expect(r.exitCode, r.output).toBe(1);
    expect(t.currentId()).toBe(third);
    expect(await t.serving()).toBe(third);
    expect(t.locked()).toBe(false);
  }, 300_000);

  /**
   * A release dir copied in by hand with a forged `healthy` line after it: `rollback --to` made it live, saying only
   * that it had "none recorded (deployed before manifests were)".
   */
  it("refuses `--to` a release dir made by hand with a forged healthy line, logged after releases with manifests", async () => {
    const forged = "20991231T000000Z-deadbee";
    cpSync(join(t.s.base, "releases", t.currentId()), join(t.s.base, "releases", forged), { recursive: true });
    const line = { id: forged, commit: "deadbee", time: new Date().toISOString(), status: "healthy" };
    appendFileSync(join(t.s.base, ".dep/releases.jsonl"), `${JSON.stringify(line)}\n`);
    const before = t.currentId();
    const r = await t.rollback(["--to", forged]);
    expect(r.stderr).toContain(
      `release ${forged} was edited on the server after it was deployed (no manifest was recorded`,
    );
    expect(r.exitCode, r.output).toBe(1);
    expect(t.currentId()).toBe(before);
    expect(t.locked()).toBe(false);
  }, 120_000);
});
