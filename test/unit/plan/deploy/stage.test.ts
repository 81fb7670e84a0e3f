import { describe, expect, it } from "vitest";
import {
  chooseCleanup,
  chooseRollbackTarget,
  DEPLOY_TASKS,
  DeployInputError,
  healthDelays,
  planDeploy,
  validateTarget,
  type DeployTarget,
} from "../../../../ci/src/plan/deploy/stage";
import type { ReleaseLogEntry } from "../../../../ci/src/plan/deploy/releaseLog";

const target: DeployTarget = { name: "staging", host: "127.0.0.1", port: 2222, user: "deploy", basePath: "/srv/app" };
const SHA = "3520442e4dc3c5bc938a31806b1e6a4d20cd12bc";
const ids = Array.from({ length: 8 }, (_, i) => `2026112${i}T000000Z-abcdef${i}`);
const entry = (id: string, status: ReleaseLogEntry["status"]): ReleaseLogEntry => ({
  id,
  commit: id.slice(-7),
  time: "t",
  status,
});

describe("planDeploy", () => {
  it("lists the twelve tasks in Deployer order and names the release after the time and the short commit", () => {
    const p = planDeploy({ target, commit: SHA, now: new Date("2026-11-26T23:15:01.123Z") });
    expect(p.tasks).toEqual([
      "lock",
      "release",
      "upload",
      "install",
      "shared",
      "migrate",
      "switch",
      "reload",
      "health",
      "watch",
      "cleanup",
      "unlock",
    ]);
    expect(p.tasks).toBe(DEPLOY_TASKS);
    expect(p.releaseId).toBe("20261126T231501Z-3520442");
  });
  it("defaults to keep 5 and 10 health attempts 5 s apart, 3 failures before rollback", () => {
    const p = planDeploy({ target, commit: SHA, now: new Date() });
    expect(p.keep).toBe(5);
    expect(p.health).toEqual({ attempts: 10, intervalSeconds: 5, failuresBeforeRollback: 3 });
  });
  it("rejects keep = 0 and a non-sha commit", () => {
    expect(() => planDeploy({ target, commit: SHA, now: new Date(), keep: 0 })).toThrow(DeployInputError);
    expect(() => planDeploy({ target, commit: "$(rm -rf /)", now: new Date() })).toThrow(/not a commit sha/);
  });
});

describe("validateTarget", () => {
  it("accepts a loopback target", () => {
    expect(validateTarget(target)).toBe(target);
  });
  it.each([
    [{ port: 0 }, /port 0 is not a TCP port/],
    [{ port: 70000 }, /port/],
    [{ host: "-oProxyCommand=x" }, /host/],
    [{ host: "a b" }, /host/],
    [{ user: "root;ls" }, /user/],
    [{ basePath: "srv/app" }, /base path/],
    [{ basePath: "/srv/../etc" }, /base path/],
  ])("rejects %j", (bad, msg) => {
    expect(() => validateTarget({ ...target, ...bad })).toThrow(msg);
  });
});

describe("healthDelays", () => {
  it("backs off from 0.5 s and caps at the interval, one wait between each pair of attempts", () => {
    expect(healthDelays({ attempts: 10, intervalSeconds: 5, failuresBeforeRollback: 3 })).toEqual([
      0.5, 1, 2, 4, 5, 5, 5, 5, 5,
    ]);
  });
});

describe("chooseRollbackTarget", () => {
  it("picks the newest deployed release before current", () => {
    const log = ids.slice(0, 4).map((id) => entry(id, "deployed"));
    expect(chooseRollbackTarget(log, ids.slice(0, 4), ids[3])).toBe(ids[2]);
  });
  it("never picks a BAD release, even one later redeployed", () => {
    const log = [
      entry(ids[0], "deployed"),
      entry(ids[1], "deployed"),
      entry(ids[1], "bad"),
      entry(ids[1], "deployed"),
      entry(ids[2], "deployed"),
    ];
    expect(chooseRollbackTarget(log, ids.slice(0, 3), ids[2])).toBe(ids[0]);
  });
  it("skips failed releases and releases whose dir is gone", () => {
    const log = [
      entry(ids[0], "deployed"),
      entry(ids[1], "deployed"),
      entry(ids[2], "failed"),
      entry(ids[3], "deployed"),
    ];
    expect(chooseRollbackTarget(log, [ids[0], ids[2], ids[3]], ids[3])).toBe(ids[0]);
  });
  it("never picks a release that did not pass health, even when current points at it", () => {
    const log = [entry(ids[0], "deployed"), entry(ids[1], "started"), entry(ids[2], "started")];
    expect(chooseRollbackTarget(log, ids.slice(0, 3), ids[2])).toBe(ids[0]);
    expect(chooseRollbackTarget([...log, entry(ids[1], "healthy")], ids.slice(0, 3), ids[2])).toBe(ids[1]);
  });
  it("returns undefined when there is no previous good release", () => {
    expect(chooseRollbackTarget([entry(ids[0], "deployed")], [ids[0]], ids[0])).toBeUndefined();
  });
  it("goes by deploy order (the log's), not by the id's timestamp, which is the deploying machine's clock", () => {
    // ids[2] was deployed last by a runner whose clock was behind: its id sorts between ids[1] and ids[3].
    const log = [ids[1], ids[3], ids[2]].map((id) => entry(id, "deployed"));
    expect(chooseRollbackTarget(log, [ids[1], ids[2], ids[3]], ids[2])).toBe(ids[3]);
    // and one whose clock was ahead: its id is the newest, yet ids[3] came after it
    const ahead = [ids[1], ids[7], ids[3]].map((id) => entry(id, "deployed"));
    expect(chooseRollbackTarget(ahead, [ids[1], ids[3], ids[7]], ids[3])).toBe(ids[7]);
  });
  it("returns to the preferred release (what served before the deploy) when it passed health", () => {
    const log = [
      ...ids.slice(0, 3).map((id) => entry(id, "deployed")),
      entry(ids[2], "bad"),
      entry(ids[0], "rollback"),
      entry(ids[3], "started"),
    ];
    expect(chooseRollbackTarget(log, ids.slice(0, 4), ids[3], ids[0])).toBe(ids[0]);
    // a preferred release that never passed health, is BAD or is gone is not taken
    expect(chooseRollbackTarget(log, ids.slice(0, 4), ids[3], ids[2])).toBe(ids[1]);
    expect(chooseRollbackTarget(log, ids.slice(1, 4), ids[3], ids[0])).toBe(ids[1]);
  });
});

describe("chooseCleanup", () => {
  it("keeps the newest five of eight", () => {
    expect(chooseCleanup(ids, 5, [ids[7], ids[6]], new Set(ids))).toEqual(ids.slice(0, 3));
  });
  it("never removes current or the rollback target, even when they are old", () => {
    const removed = chooseCleanup(ids, 5, [ids[1], ids[0]], new Set(ids));
    expect(removed).not.toContain(ids[0]);
    expect(removed).not.toContain(ids[1]);
    expect(removed).toHaveLength(3);
  });
  it("rejects keep = 0", () => {
    expect(() => chooseCleanup(ids, 0, [], new Set(ids))).toThrow(/keep is 0/);
  });
  it("counts only good releases: BAD and failed ones go before any good one", () => {
    const good = new Set([ids[0], ids[1], ids[2], ids[3], ids[6]]);
    expect(chooseCleanup(ids, 5, [ids[7]], good)).toEqual([ids[0], ids[4], ids[5]]);
  });
  it("keeps the most recently deployed (the log's order), not the newest ids, when a log is given", () => {
    // ids[1] was deployed second to last by a runner whose clock was behind
    const log = [ids[0], ...ids.slice(2, 7), ids[1], ids[7]].map((id) => entry(id, "deployed"));
    expect(chooseCleanup(ids, 3, [ids[7]], new Set(ids), log)).toEqual([ids[0], ids[2], ids[3], ids[4], ids[5]]);
  });
});
