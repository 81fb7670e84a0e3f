import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseRollbackTarget } from "../../../ci/src/plan/deploy/stage";
import { readReleaseState } from "../../../scripts/deploy/context";
import { localRemote } from "../../../scripts/deploy/remote";
import { defaultHealthPolicy } from "../../../ci/src/plan/deploy/stage";
import { deployFixture, type DeployFixture } from "../../support/deployFixture";

/** Retention on a real loopback staging server: 8 one-file-change deploys of a prebuilt artifact, keep 5. */
describe("cleanup keeps 5 releases", () => {
  let f: DeployFixture;
  beforeAll(async () => {
    f = await deployFixture();
  }, 300_000);
  afterAll(async () => {
    await f?.close();
  }, 60_000);

  it("after 8 deploys only 5 remain, including current and the rollback target", async () => {
    for (let i = 0; i < 8; i++) {
      const next = f.variant(`v${i % 2}`, { "frontend/public/deploy.txt": `deploy ${i}\n` });
      const r = await f.deploy(next, `${i}`.repeat(7) + "aaaa");
      expect(r.exitCode, r.output).toBe(0);
    }
    const ctx = {
      remote: localRemote(),
      base: f.s.base,
      plan: { releaseId: "", commit: "", keep: 5, health: defaultHealthPolicy() },
      artifactDir: "",
      secrets: {},
      by: "test",
      log: () => {},
      state: { locked: false, created: false, switched: false },
    };
    const st = await readReleaseState(ctx);
    const target = chooseRollbackTarget(st.log, st.existing, st.current);
    expect(f.releases()).toHaveLength(5);
    expect(f.releases()).toContain(f.currentId());
    expect(target).toBeDefined();
    expect(f.releases()).toContain(target);
    expect(f.releases().at(-1)).toBe(f.currentId());
    const back = await f.rollback();
    expect(back.exitCode, back.output).toBe(0);
    expect(f.currentId()).toBe(target);
    expect(await f.serving()).toBe(target);
  }, 300_000);
});
