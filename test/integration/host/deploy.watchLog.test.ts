import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultHealthPolicy } from "../../../ci/src/plan/deploy/stage";
import { defaultWatchPolicy } from "../../../ci/src/plan/deploy/watch";
import type { DeployContext } from "../../../scripts/deploy/context";
import { localRemote } from "../../../scripts/deploy/remote";
import { accessLogOffset, readAccessLog, watchRelease, WatchBreachError } from "../../../scripts/deploy/watch";

/** The watch's log reading through a real bash (localRemote), on a file grown the way nginx grows it. */
describe("reading nginx's access log for the watch", () => {
  let dir: string;
  let log: string;
  const ctx = (): DeployContext => ({
    remote: localRemote(),
    base: dir,
    plan: { releaseId: "r2", commit: "", keep: 5, health: defaultHealthPolicy() },
    artifactDir: "",
    secrets: {},
    by: "test",
    log: () => {},
    server: {
      path: "/usr/bin:/bin",
      pm2Home: dir,
      pm2: "pm2",
      publicPort: 1,
      frontendPorts: [],
      backendPorts: [],
      nginx: { upstreamsFile: join(dir, "upstreams.conf"), reload: ["true"] },
    },
    state: { locked: false, created: false, switched: false },
  });
  const now = () => (Date.now() / 1000).toFixed(3);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "watch-log-"));
    log = join(dir, "access.log");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads only complete lines after the offset, and resumes after them", async () => {
    writeFileSync(log, `${now()} 200 0.010 r1\n`);
    const c = ctx();
    const from = await accessLogOffset(c);
    appendFileSync(log, `${now()} 200 0.020 r2\n${now()} 502 0.030 r2\n${now()} 200 0.0`);
    const first = await readAccessLog(c, from);
    expect(first.lines.map((l) => [l.status, l.release])).toEqual([
      [200, "r2"],
      [502, "r2"],
    ]);
    appendFileSync(log, "40 r2\n");
    const second = await readAccessLog(c, first.offset);
    expect(second.lines.map((l) => l.seconds)).toEqual([0.04]);
    expect(Math.abs(second.now - Date.now() / 1000)).toBeLessThan(5);
  });

  it("starts over when the log was rotated (smaller than the offset)", async () => {
    writeFileSync(log, `${now()} 200 0.010 r2\n`);
    const r = await readAccessLog(ctx(), 10_000);
    expect(r.lines).toHaveLength(1);
  });

  it("throws WatchBreachError within a poll when the release's error rate crosses the threshold", async () => {
    writeFileSync(log, "");
    const c = ctx();
    c.state.accessLogFrom = 0;
    appendFileSync(log, Array.from({ length: 30 }, (_, i) => `${now()} ${i < 6 ? 500 : 200} 0.010 r2\n`).join(""));
    const started = Date.now();
    await expect(watchRelease(c, "r2", { ...defaultWatchPolicy(), windowSeconds: 30 })).rejects.toThrow(
      WatchBreachError,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(c.state.watch).toMatchObject({ outcome: "rollback", requests: 30, errors: 6, errorRatePercent: 20 });
  });
});
