/**
 * After-the-switch benchmarks on a real loopback staging server, over --runs rounds (default 3):
 *   breach → old release serving again: a release failing 20 % of API requests goes out blue/green under load;
 *       the watch window sees the error rate cross 5 % and the failure path routes nginx back to the warm
 *       slot. The deploy reports the seconds from the poll that saw the breach until the old release answered
 *       healthy through nginx ("serves again N s after the watch saw the breach").            (goal <= 5 s)
 *   failed requests during a canary rollback: the same kind of fault at the first canary step (10 %); the
 *       frontend root has no fault, so each of its failures is caused by the weights or the rollback.  (goal 0)
 * Load: "api" (backend health, 4 workers) and "web" (frontend root, 1 worker), both `Connection: close`.
 *   npx tsx bench/afterSwitch.ts            (-- --runs 5 for more rounds)
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startLoad } from "../scripts/host/loadGenerator";
import { deployFixture, SHA, type DeployFixture } from "../test/support/deployFixture";
import { formatSpread, runsOption, spread } from "./support/stats";

const { values } = parseArgs({ options: { runs: { type: "string" } } });
const RUNS = runsOption(values.runs, 3);
const GOALS = { breachToRestored: 5, canaryRollbackFailed: 0 };

async function underLoad(f: DeployFixture, artifact: string, commit: string, args: string[] = []) {
  const url = (p: string) => `http://127.0.0.1:${f.s.publicPort}${p}`;
  const api = startLoad({ urls: [url("/api/v1/health")], keepAlive: false, concurrency: 4, maxSeconds: 300 });
  const web = startLoad({ urls: [url("/")], keepAlive: false, concurrency: 1, pauseMs: 50, maxSeconds: 300 });
  try {
    const r = await f.deploy(artifact, commit, {}, args);
    return { r, api: await api.stop(), web: await web.stop() };
  } finally {
    await Promise.all([api.stop(), web.stop()]);
  }
}

function restoredSeconds(stdout: string): number {
  const m = /serves again ([\d.]+) s after the watch saw the breach/.exec(stdout);
  if (!m) throw new Error(`the deploy did not roll back after a breach:\n${stdout}`);
  return Number(m[1]);
}

async function main(): Promise<void> {
  const f = await deployFixture();
  try {
    writeFileSync(
      join(f.appDir, "pipeline.yaml"),
      "deploy:\n  health: { attempts: 6, intervalSeconds: 1 }\n  watch: { windowSeconds: 15, minRequests: 20 }\n  canary: { steps: [10, 50, 100] }\n",
    );
    const first = await f.deploy(f.artifact, SHA);
    if (first.exitCode !== 0) throw new Error(`first deploy failed:\n${first.output}`);
    const bad = f.variant("bench-fault", { "backend/fault.json": JSON.stringify({ errorRate: 0.2 }) });
    const restored: number[] = [];
    const canaryFailed: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const blue = await underLoad(f, bad, `${String(i + 1).repeat(7)}a${i}`);
      restored.push(restoredSeconds(blue.r.stdout));
      const can = await underLoad(f, bad, `${String(i + 1).repeat(7)}b${i}`, ["--strategy", "canary"]);
      restoredSeconds(can.r.stdout);
      canaryFailed.push(can.web.failed);
      console.log(
        `round ${i + 1}: restored ${restored.at(-1)} s; canary rollback: ${can.web.failed} failed of ${can.web.sent}`,
      );
    }
    const r = spread(restored, "breach to restored");
    const c = spread(canaryFailed, "canary rollback failures");
    console.log(
      `machine: ${cpus().length} cores, load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")}`,
    );
    console.log(
      `${formatSpread("breach → old release serving again", r)}  goal <= ${GOALS.breachToRestored} s: ${r.max <= GOALS.breachToRestored ? "ok" : "MISSED"}`,
    );
    console.log(
      `${formatSpread("failed requests during a canary rollback", c, "", 0)}  goal ${GOALS.canaryRollbackFailed}: ${c.max === 0 ? "ok" : "MISSED"}`,
    );
  } finally {
    await f.close();
  }
}

await main();
