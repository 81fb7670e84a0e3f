import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseReleaseLog } from "../../../ci/src/plan/deploy/releaseLog";
import { startPipeline } from "../../support/cli";
import { withDeployedFixture, type DeployFixture } from "../../support/deployFixture";

/**
 * Deploys killed with a real SIGKILL (nothing can clean up: the power goes, the runner dies) on a real loopback
 * staging server. The lock stays, as it must; what matters is what the next runs do with the release left behind,
 * which they read from the release log.
 */
describe("after a deploy killed with SIGKILL", () => {
  let f: DeployFixture;
  let good: string;
  const log = () => parseReleaseLog(readFileSync(join(f.s.base, ".dep/releases.jsonl"), "utf8"));
  const kill = async (args: string[], at: (run: ReturnType<typeof startPipeline>) => Promise<unknown>) => {
    const run = startPipeline(["deploy-staging", "--source", f.appDir, ...args], f.env());
    await at(run);
    process.kill(-run.pid, "SIGKILL");
    await run.done;
    expect(f.locked(), "a SIGKILL leaves the lock: nothing runs after it").toBe(true);
    // The operator unlocks (test/integration/host/deploy.checks.test.ts runs the printed command as typed).
    rmSync(join(f.s.base, ".dep/deploy.lock"));
  };

  const deployed = withDeployedFixture(120_000);
  beforeAll(() => void ({ f, good } = deployed()));

  it("between its switch and its health check: the next failed deploy rolls back to the last release that passed health, not to current", async () => {
    const unchecked = f.variant("unchecked", { "frontend/public/u.txt": "u\n" });
    await kill(["--artifact", unchecked, "--commit", "8888888aaaa"], () => waitForCurrent(f, /-8888888$/));
    expect(f.currentId()).toMatch(/-8888888$/);
    expect(
      log()
        .filter((e) => e.id === f.currentId())
        .map((e) => e.status),
    ).toEqual(["started", "started"]); // created, then its manifest recorded at the switch: never healthy

    const never = f.variant("never-healthy", { "backend/app/main.py": 'raise SystemExit("injected: never starts")\n' });
    const r = await f.deploy(never, "9999999bbbb");
    expect(r.exitCode, r.output).toBe(1);
    expect(r.stderr).toContain(`rolled back automatically: current is ${good} again and healthy`);
    expect(f.currentId()).toBe(good);
    expect(await f.serving()).toBe(good);
  }, 300_000);

  it("during its watch window, after passing health: the release it left serving is kept, not deleted as unfinished", async () => {
    writeFileSync(
      join(f.appDir, "watch.yaml"),
      "deploy:\n  health: { attempts: 6, intervalSeconds: 1 }\n  watch: { windowSeconds: 120 }\n",
    );
    const watched = f.variant("watched", { "frontend/public/w.txt": "w\n" });
    await kill(["--artifact", watched, "--commit", "aaaaaaa1111", "--config", "watch.yaml"], (run) =>
      run.waitFor(/watch: 120 s of real traffic/),
    );
    const served = f.currentId();
    expect(served).toMatch(/-aaaaaaa$/);
    expect(await f.serving()).toBe(served);
    for (const [name, commit] of [
      ["next-1", "bbbbbbb2222"],
      ["next-2", "ccccccc3333"],
    ]) {
      const r = await f.deploy(f.variant(name, { [`frontend/public/${name}.txt`]: `${name}\n` }), commit);
      expect(r.exitCode, r.output).toBe(0);
      expect(r.output).not.toContain(`removing ${served}`);
    }
    expect(f.releases()).toContain(served);
    expect(log()).not.toContainEqual(expect.objectContaining({ id: served, status: "failed" }));
  }, 400_000);
});

/** Wait until `current` points at a release whose id matches `re`. */
async function waitForCurrent(f: DeployFixture, re: RegExp): Promise<void> {
  for (const end = Date.now() + 200_000; Date.now() < end;) {
    let id: string;
    try {
      id = f.currentId();
    } catch {
      id = "";
    }
    if (re.test(id)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`current never pointed at ${re}`);
}
