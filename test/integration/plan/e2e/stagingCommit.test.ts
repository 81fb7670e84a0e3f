import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  parseStagingRelease,
  stagingReleaseScript,
  StagingCommitError,
} from "../../../../ci/src/plan/e2e/stagingCommit";

const ID = "20261206T000300Z-ddddddd";
const A = "a".repeat(40);
const B = "b".repeat(40);

/**
 * stagingReleaseScript on a real shell in a temp base, `current` and the release log where a hand edit can leave them.
 * The thirteenth hostile run: staging-commit read `current` its own way, so `current -> releases/<id>/` (a trailing
 * slash) was "no current release", and a link out of releases/ had it read REVISION from outside. It now reads the
 * base as the deploy's server check does, and refuses what the deploy refuses, with the same fix.
 */
describe("stagingReleaseScript on a base", () => {
  let base: string;
  const read = () => {
    const r = spawnSync("sh", ["-c", stagingReleaseScript(base)], {
      encoding: "utf8",
      timeout: 10_000,
      maxBuffer: 4 * 1024 * 1024,
    });
    expect(r.error, "the read must end by itself").toBeUndefined();
    return () => parseStagingRelease(r.stdout, base);
  };

  beforeEach(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), "staging-commit-")));
    mkdirSync(join(base, "releases", ID), { recursive: true });
    mkdirSync(join(base, "elsewhere", ID), { recursive: true });
    mkdirSync(join(base, ".dep"));
    writeFileSync(join(base, "releases", ID, "REVISION"), `${A}\n`);
    writeFileSync(join(base, "elsewhere", ID, "REVISION"), `${B}\n`);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it.each([`releases/${ID}`, `releases/${ID}/`, `./releases/${ID}//`])("reads current -> %s", (target) => {
    symlinkSync(target, join(base, "current"));
    expect(read()()).toEqual({ release: ID, commit: A });
  });

  it("refuses a current out of releases/, naming the fix, and reads nothing from there", () => {
    symlinkSync(join(base, "elsewhere", ID), join(base, "current"));
    const parse = read();
    expect(parse).toThrow(StagingCommitError);
    expect(parse).toThrow(`mv ${base}/current ${base}/current.by-hand`);
  });

  it("refuses a release log that is a FIFO instead of hanging on it", () => {
    symlinkSync(`releases/${ID}`, join(base, "current"));
    rmSync(join(base, "releases", ID, "REVISION"));
    expect(spawnSync("mkfifo", [join(base, ".dep/releases.jsonl")]).status).toBe(0);
    expect(read()).toThrow(/`\.dep\/releases\.jsonl` is a FIFO, socket or device/);
  });

  it("reads a bounded piece of a huge REVISION, release log and MANIFEST (the app may write its release)", () => {
    symlinkSync(`releases/${ID}`, join(base, "current"));
    for (const f of [`releases/${ID}/REVISION`, ".dep/releases.jsonl", `releases/${ID}/MANIFEST`])
      expect(spawnSync("truncate", ["-s", "4G", join(base, f)]).status).toBe(0);
    // Sparse: nothing is written, but a whole read streams 4 GiB of NULs each (spawnSync's buffer overflows).
    expect(read()()).toBeUndefined();
  });

  it("finds no release on a base nothing was deployed to", () => {
    expect(read()()).toBeUndefined();
  });
});
