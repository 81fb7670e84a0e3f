import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultHealthPolicy } from "../../../ci/src/plan/deploy/stage";
import type { DeployContext } from "../../../scripts/deploy/context";
import { deployFailed } from "../../../scripts/deploy/failed";
import { localRemote } from "../../../scripts/deploy/remote";

const ID = "20261204T170000Z-abc1234";

/** The failure path's own bash, run for real on a temp DEPLOY_BASE (localRemote: the server side, by hand). */
function ctxAt(base: string, created: boolean): DeployContext {
  return {
    remote: localRemote(),
    base,
    plan: { releaseId: ID, commit: "abc1234", keep: 5, health: defaultHealthPolicy() },
    artifactDir: "",
    secrets: {},
    by: "test",
    log: () => {},
    state: { locked: false, created, switched: false, previous: "20261204T160000Z-0000001" },
  };
}

describe("deployFailed before the switch", () => {
  const made: string[] = [];
  afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("says no release was created, and touches nothing, when the run failed before creating one", async () => {
    const base = mkdtempSync(join(tmpdir(), "failed-"));
    made.push(base);
    mkdirSync(join(base, `releases/${ID}`), { recursive: true });
    const said = await deployFailed(ctxAt(base, false), new Error("lost the connection"));
    expect(said).toBe("current is untouched (still 20261204T160000Z-0000001); no release was created.");
    expect(said).not.toMatch(/was removed/);
    expect(existsSync(join(base, `releases/${ID}`))).toBe(true);
    expect(existsSync(join(base, ".dep/releases.jsonl"))).toBe(false);
  });

  it("removes the release it created and logs it failed", async () => {
    const base = mkdtempSync(join(tmpdir(), "failed-"));
    made.push(base);
    mkdirSync(join(base, `releases/${ID}`), { recursive: true });
    const said = await deployFailed(ctxAt(base, true), new Error("upload failed"));
    expect(said).toMatch(new RegExp(`releases/${ID} was removed\\.$`));
    expect(existsSync(join(base, `releases/${ID}`))).toBe(false);
    expect(readFileSync(join(base, ".dep/releases.jsonl"), "utf8")).toMatch(
      /"status":"failed","by":"test","reason":"upload failed"/,
    );
  });
});
