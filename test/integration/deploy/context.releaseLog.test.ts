import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { badReleases, parseReleaseLog } from "../../../ci/src/plan/deploy/releaseLog";
import { defaultHealthPolicy } from "../../../ci/src/plan/deploy/stage";
import { appendLogs, readReleaseState, type DeployContext } from "../../../scripts/deploy/context";
import { localRemote } from "../../../scripts/deploy/remote";

const A = "20261206T000000Z-aaaaaaa";
const D = "20261206T000300Z-ddddddd";

/**
 * The release log and `current` as the deploy tasks read and append them, on real bash in a temp base, after a hand
 * edit or a crash left them odd. Before: a log whose last line had no newline (an editor that drops it, a write cut
 * by a full disk) glued the next appended line to it, so both were lost: a rollback's "bad" line vanished and the
 * abandoned release became a rollback target again; `current -> releases/<id>/` (a shell's completion) read as no
 * current at all, so a rollback "rolled back" to the release it was meant to leave, exit 0, and marked nothing BAD.
 */
describe("the release log and current, edited by hand", () => {
  let base: string;
  const ctx = (): DeployContext => ({
    remote: localRemote(),
    base,
    plan: { releaseId: D, commit: "ddddddd", keep: 5, health: defaultHealthPolicy() },
    artifactDir: "",
    secrets: {},
    by: "ci@runner pid 7",
    log: () => {},
    state: { locked: false, created: false, switched: false },
  });
  const logPath = () => join(base, ".dep/releases.jsonl");

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), "context-log-"));
    mkdirSync(join(base, ".dep"));
    mkdirSync(join(base, "releases", A), { recursive: true });
    mkdirSync(join(base, "releases", D), { recursive: true });
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it("keeps every appended line when the log's last line has no newline", async () => {
    const line = { id: A, commit: "aaaaaaa", time: "2026-12-06T00:00:01Z", status: "deployed" };
    writeFileSync(logPath(), JSON.stringify(line));
    await appendLogs(ctx(), [
      { id: D, status: "bad", reason: "abandoned by rollback" },
      { id: A, status: "rollback", from: D },
    ]);
    const log = parseReleaseLog(readFileSync(logPath(), "utf8"));
    expect(log.map((e) => e.status)).toEqual(["deployed", "bad", "rollback"]);
    expect(badReleases(log).has(D)).toBe(true);
  });

  it("adds no blank line to a log that ends with its newline, nor to a new log", async () => {
    await appendLogs(ctx(), [{ id: D, status: "started" }]);
    await appendLogs(ctx(), [{ id: D, status: "healthy" }]);
    const text = readFileSync(logPath(), "utf8");
    expect(text.split("\n")).toHaveLength(3);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it.each([`releases/${D}/`, `releases/${D}//`, `./releases/${D}`])(
    "reads current -> %s as that release",
    async (target) => {
      symlinkSync(target, join(base, "current"));
      expect((await readReleaseState(ctx())).current).toBe(D);
    },
  );
});
