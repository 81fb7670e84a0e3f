import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseReleaseLog } from "../../../../ci/src/plan/deploy/releaseLog";
import { defaultHealthPolicy } from "../../../../ci/src/plan/deploy/stage";
import type { DeployContext } from "../../../../scripts/deploy/context";
import { localRemote } from "../../../../scripts/deploy/remote";
import { cleanup } from "../../../../scripts/deploy/tasks/cleanup";
import { release } from "../../../../scripts/deploy/tasks/release";

const OLD = "20261206T000100Z-aaaaaaa";
const CUR = "20261206T000200Z-ccccccc";
const HALF = "20261206T000300Z-eeeeeee";
const NEW = "20261206T000400Z-fffffff";

/**
 * The release and cleanup tasks on real bash in a temp base whose release log was lost: rotated away (`mv
 * releases.jsonl releases.jsonl.1`) or emptied. Before: every release dir but current had "no log line", so the next
 * deploy removed each as "left unfinished by an earlier run", the good rollback target too, and no rollback was left.
 * A release that went live has its manifest recorded (.dep/manifests/<id>): only a dir with neither a log line nor a
 * manifest is a crashed run's leftover; the others are not the deploy's to remove or count.
 */
describe("release and cleanup, the release log lost", () => {
  let base: string;
  const ctx = (): DeployContext => ({
    remote: localRemote(),
    base,
    plan: { releaseId: NEW, commit: "fffffff", keep: 1, health: defaultHealthPolicy() },
    artifactDir: "",
    secrets: {},
    by: "ci@runner pid 7",
    log: () => {},
    state: { locked: true, created: false, switched: false },
  });

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), "release-task-"));
    mkdirSync(join(base, ".dep/manifests"), { recursive: true });
    for (const id of [OLD, CUR, HALF]) mkdirSync(join(base, "releases", id), { recursive: true });
    for (const id of [OLD, CUR]) writeFileSync(join(base, ".dep/manifests", id), "F644 x\n");
    symlinkSync(`releases/${CUR}`, join(base, "current"));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it.each([
    ["rotated away (absent)", () => {}],
    ["emptied", () => writeFileSync(join(base, ".dep/releases.jsonl"), "")],
  ])(
    "removes only the crashed run's dir when the log was %s, and cleanup keeps what the log cannot account for",
    async (_, lose) => {
      lose();
      const c = ctx();
      await release(c);
      expect(existsSync(join(base, "releases", OLD))).toBe(true);
      expect(existsSync(join(base, "releases", HALF))).toBe(false);
      expect(existsSync(join(base, "releases", NEW))).toBe(true);
      const log = parseReleaseLog(readFileSync(join(base, ".dep/releases.jsonl"), "utf8"));
      expect(log.filter((e) => e.status === "failed").map((e) => e.id)).toEqual([HALF]);
      await cleanup(c);
      expect(existsSync(join(base, "releases", OLD))).toBe(true);
      expect(existsSync(join(base, "releases", CUR))).toBe(true);
    },
  );
});
