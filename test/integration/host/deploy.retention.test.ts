import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReleaseLog } from "../../../ci/src/plan/deploy/releaseLog";
import { chooseRollbackTarget } from "../../../ci/src/plan/deploy/stage";
import { readReleaseState } from "../../../scripts/deploy/context";
import { localRemote } from "../../../scripts/deploy/remote";
import { defaultHealthPolicy } from "../../../ci/src/plan/deploy/stage";
import { runDeployRequest } from "../../support/cli";
import { deployFixture, type DeployFixture } from "../../support/deployFixture";

/**
 * Retention on a real loopback staging server: one-file-change deploys of a prebuilt artifact and rollbacks that mark
 * releases BAD, keep 5.
 */
describe("cleanup keeps `keep` good releases", () => {
  let f: DeployFixture;
  beforeAll(async () => {
    f = await deployFixture();
  }, 300_000);
  afterAll(async () => {
    await f?.close();
  }, 180_000);

  it("keeps the newest releases that passed health (keep 3), removing BAD ones first, never a good one while a BAD one stays", async () => {
    const deploy = async (i: number) => {
      const next = f.variant(`v${i % 2}`, { "frontend/public/deploy.txt": `deploy ${i}\n` });
      const r = await f.deploy(next, `${i}`.repeat(7) + "aaaa", {}, ["--keep", "3"]);
      expect(r.exitCode, r.output).toBe(0);
      return f.currentId();
    };
    const back = async () => {
      const r = await f.rollback();
      expect(r.exitCode, r.output).toBe(0);
    };
    const good = [];
    for (let i = 0; i < 3; i++) good.push(await deploy(i));
    await back(); // marks the 3rd BAD
    const bad = [good.pop()!];
    bad.push(await deploy(3));
    await back(); // marks the 4th BAD
    good.push(await deploy(4));
    const badLogged = parseReleaseLog(readFileSync(join(f.s.base, ".dep/releases.jsonl"), "utf8"))
      .filter((e) => e.status === "bad")
      .map((e) => e.id);
    expect(badLogged.sort()).toEqual(bad.sort());
    expect(f.releases()).toEqual(good.sort());

    const ctx = {
      remote: localRemote(),
      base: f.s.base,
      plan: { releaseId: "", commit: "", keep: 3, health: defaultHealthPolicy() },
      artifactDir: "",
      secrets: {},
      by: "test",
      log: () => {},
      state: { locked: false, created: false, switched: false },
    };
    const st = await readReleaseState(ctx);
    const target = chooseRollbackTarget(st.log, st.existing, st.current);
    expect(target).toBe(good.at(-2));
    // The last rollback goes the Dagger way: one typed request, secrets as files, no STAGING_* variable and no
    // database URI anywhere.
    const known = join(f.root, "known_hosts");
    writeFileSync(known, `${f.s.knownHosts}\n`);
    const request = {
      version: 1,
      action: "rollback",
      target: { name: "staging", host: "127.0.0.1", port: f.s.sshPort, user: "root", basePath: f.s.base },
      files: { sshKey: f.s.keyFile, knownHosts: known, secrets: {}, alerts: {} },
      source: f.appDir,
      config: "pipeline.yaml",
      requestedAt: new Date().toISOString(),
    };
    writeFileSync(join(f.root, "request.json"), JSON.stringify(request));
    const r = await runDeployRequest(join(f.root, "request.json"), { PATH: process.env.PATH, HOME: process.env.HOME });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toContain(`rolled back staging to ${target}`);
    expect(f.currentId()).toBe(target);
    expect(await f.serving()).toBe(target);
  }, 1_200_000);
});
