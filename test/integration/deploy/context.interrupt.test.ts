import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultHealthPolicy } from "../../../ci/src/plan/deploy/stage";
import { sh, type DeployContext } from "../../../scripts/deploy/context";
import { DeployInterrupted } from "../../../scripts/deploy/interrupted";
import { localRemote, RemoteError } from "../../../scripts/deploy/remote";

/**
 * A Ctrl-C reaches the whole process group: a step's bash (or ssh) may die of the SIGINT a moment before this
 * process's own trap runs. A real bash killed by a real SIGINT; the trap's abort fired 100 ms later.
 */
describe("a step killed by the signal that interrupts the deploy", () => {
  let dir: string;
  const ctx = (abort?: AbortSignal): DeployContext => ({
    remote: localRemote(),
    base: dir,
    plan: { releaseId: "r1", commit: "", keep: 5, health: defaultHealthPolicy() },
    artifactDir: "",
    secrets: {},
    by: "test",
    log: () => {},
    abort,
    state: { locked: false, created: false, switched: false },
  });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ctx-interrupt-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is reported as interrupted by SIGINT, not as a server fault", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DeployInterrupted("SIGINT")), 100);
    const run = sh(ctx(controller.signal), "watch", 'kill -INT "$$"; sleep 5');
    await expect(run).rejects.toThrow(DeployInterrupted);
    await expect(run).rejects.toThrow("interrupted by SIGINT");
  });

  it("says which signal killed it when no interrupt follows", async () => {
    const run = sh(ctx(new AbortController().signal), "watch", 'kill -TERM "$$"; sleep 5');
    await expect(run).rejects.toThrow(RemoteError);
    await expect(run).rejects.toThrow(`watch failed on localhost (killed by SIGTERM)`);
  });
});
