/**
 * "Scale on paper": measure in one run, on this machine, what each E2E shard costs
 * besides its tests, and how shards contend for one machine's cores; then model a 15-minute
 * serial suite at 1, 2, 4, 8 and 16 shards on one engine and on one runner per shard.
 *   start-up  one shard process running one trivial test: config, worker and Chromium launch;
 *   install   `npm ci --prefer-offline` of the frontend in a fresh copy (warm ~/.npm: what a persistent engine gives);
 *   merge     merge-reports (html, json, junit) of 1 blob and of 4 blobs: fixed part + per blob;
 *   contention the example's full suite against the running example app, 1 shard vs 4 shards at once.
 * Every command is the plan's own (planE2e). Each quantity is measured --runs times (default 3), in turn, round
 * after round; each prints min/median/max and the model uses the medians.
 *   npx tsx bench/e2eOverhead.ts [--runs N]
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { delimiter, join } from "node:path";
import { parseArgs } from "node:util";
import { defaultConfig } from "../ci/src/plan/config/defaults";
import { E2E_PATHS, planE2e, type E2ePlan } from "../ci/src/plan/e2e/stage";
import { parseReport } from "../ci/src/plan/e2e/playwrightReport";
import type { Step } from "../ci/src/plan/job";
import { processExecutor } from "../scripts/host/exec";
import { listSpecFiles } from "../scripts/host/e2e/inputs";
import { startLocalApp } from "../scripts/host/exampleApp";
import { TOOLS_BIN } from "../scripts/host/stage";
import { linkFrontendDeps } from "../test/support/e2eFixtures";
import { copyExample } from "../test/support/example";
import { formatSpread, runsOption, spread } from "./support/stats";

const SERIAL_MINUTES = 15;
const RUNS = runsOption(parseArgs({ options: { runs: { type: "string" } } }).values.runs, 3);
const c = defaultConfig();
const env = { ...process.env, PATH: [TOOLS_BIN, process.env.PATH ?? ""].join(delimiter), CI: "true" };

async function timed(step: Step, cwd: string, extra: NodeJS.ProcessEnv = {}): Promise<number> {
  const t = performance.now();
  const r = await processExecutor(step, cwd, { ...env, ...extra, ...step.env }, () => {});
  if (r.exitCode !== 0)
    throw new Error(`${step.argv.join(" ")} failed (exit ${r.exitCode}) in ${cwd}:\n${r.output.slice(-2000)}`);
  return (performance.now() - t) / 1000;
}

function plan(files: string[], shards: number, app: { baseUrl: string; apiUrl: string }): E2ePlan {
  return planE2e(c, {
    suite: "full",
    shards,
    files,
    timings: new Map(),
    baseUrl: app.baseUrl,
    apiUrl: app.apiUrl,
    playwrightVersion: "1.65.1",
  });
}

/** Gather the shards' blob zips into .e2e/blobs as the runners do, then time the plan's merge step. */
async function gatherAndMerge(p: E2ePlan, fe: string): Promise<number> {
  rmSync(join(fe, E2E_PATHS.blobs), { recursive: true, force: true });
  mkdirSync(join(fe, E2E_PATHS.blobs), { recursive: true });
  for (let i = 1; i <= p.shardJobs.length; i++)
    copyFileSync(
      join(fe, E2E_PATHS.blobDir(i), E2E_PATHS.blobName(i)),
      join(fe, E2E_PATHS.blobs, E2E_PATHS.blobName(i)),
    );
  return timed(p.mergeJob.steps[0], fe, p.mergeJob.env);
}

/** Every shard of a plan at once (the plan's argv and env); wall seconds. */
async function runShards(p: E2ePlan, fe: string): Promise<number> {
  rmSync(join(fe, ".e2e"), { recursive: true, force: true });
  const t = performance.now();
  await Promise.all(p.shardJobs.map((j) => timed(j.steps[0], fe, j.env)));
  return (performance.now() - t) / 1000;
}

async function measureInstall(): Promise<number> {
  const fresh = copyExample();
  try {
    return await timed(
      { name: "install", argv: ["npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"] },
      join(fresh.dir, "frontend"),
    );
  } finally {
    fresh.remove();
  }
}

async function measureStartup(fe: string): Promise<{ wall: number; test: number }> {
  writeFileSync(
    join(fe, "e2e/zz-startup.spec.ts"),
    `import { expect, test } from "@playwright/test";\ntest("starts", async ({ page }) => {\n  await page.setContent("<h1>up</h1>");\n  await expect(page.locator("h1")).toHaveText("up");\n});\n`,
  );
  const p = planE2e(c, {
    suite: "full",
    shards: 1,
    files: ["zz-startup.spec.ts"],
    timings: new Map([["zz-startup.spec.ts", 1]]),
    baseUrl: "http://127.0.0.1:9",
    apiUrl: "http://127.0.0.1:9",
    playwrightVersion: "1.65.1",
  });
  const wall = await timed(p.shardJobs[0].steps[0], fe, p.shardJobs[0].env);
  const json = join(fe, ".e2e/startup.json");
  await timed(
    {
      name: "json",
      argv: ["npx", "playwright", "merge-reports", "--config", ".", "--reporter=json", E2E_PATHS.blobDir(1)],
    },
    fe,
    { PLAYWRIGHT_JSON_OUTPUT_FILE: json },
  );
  const test = parseReport(readFileSync(json, "utf8")).stats.duration / 1000;
  return { wall, test };
}

/** One round: every quantity once, the plan's own commands against the running example app. */
async function measureRound(fe: string, files: string[], app: { baseUrl: string; apiUrl: string }): Promise<Measured> {
  const install = await measureInstall();
  const startup = await measureStartup(fe);
  rmSync(join(fe, "e2e/zz-startup.spec.ts"));
  const one = plan(files, 1, app);
  const wall1 = await runShards(one, fe);
  const merge1 = await gatherAndMerge(one, fe);
  const four = plan(files, 4, app);
  const wall4 = await runShards(four, fe);
  const merge4 = await gatherAndMerge(four, fe);
  return { install, startup, wall1, wall4, merge1, merge4, files: files.length };
}

async function main(): Promise<void> {
  const copy = copyExample();
  let stop: (() => Promise<void>) | undefined;
  try {
    linkFrontendDeps(copy.dir);
    const fe = join(copy.dir, "frontend");
    const app = await startLocalApp(copy.dir, c, env, () => {});
    stop = app.stop;
    const files = listSpecFiles(copy.dir, c);
    const rounds: Measured[] = [];
    for (let r = 1; r <= RUNS; r++) {
      rounds.push(await measureRound(fe, files, app));
      console.log(
        `  round ${r}: ${JSON.stringify(rounds[r - 1], (_, v: unknown) => (typeof v === "number" ? +v.toFixed(2) : v))}`,
      );
    }
    report(medians(rounds));
  } finally {
    await stop?.();
    copy.remove();
  }
}

/** Print each quantity's spread; return the medians the model uses. */
function medians(rs: Measured[]): Measured {
  const m = (what: string, pick: (r: Measured) => number) => {
    const s = spread(rs.map(pick), what);
    console.log(formatSpread(what, s));
    return s.median;
  };
  return {
    install: m("install (npm ci --prefer-offline)", (r) => r.install),
    startup: {
      wall: m("start-up, one trivial test shard", (r) => r.startup.wall),
      test: m("   its own clock", (r) => r.startup.test),
    },
    wall1: m("example suite, 1 shard", (r) => r.wall1),
    wall4: m("example suite, 4 shards at once", (r) => r.wall4),
    merge1: m("merge, 1 blob", (r) => r.merge1),
    merge4: m("merge, 4 blobs", (r) => r.merge4),
    files: rs[0].files,
  };
}

interface Measured {
  install: number;
  startup: { wall: number; test: number };
  wall1: number;
  wall4: number;
  merge1: number;
  merge4: number;
  files: number;
}

function report(m: Measured): void {
  // The trivial test takes milliseconds; the run's own clock (its duration) holds the Chromium launch, so count the
  // whole shard.
  const start = m.startup.wall;
  const perBlob = Math.max(0, (m.merge4 - m.merge1) / 3);
  const mergeFixed = m.merge1 - perBlob;
  const speedup4 = m.wall1 / m.wall4;
  console.log(
    `medians of ${RUNS} rounds; machine: ${cpus().length} cores, load average now ${loadavg()[0].toFixed(2)}`,
  );
  console.log(`install (npm ci --prefer-offline, warm ~/.npm): ${m.install.toFixed(1)} s`);
  console.log(
    `start-up per shard: ${start.toFixed(1)} s (a one-trivial-test shard; Playwright's own clock for it: ${m.startup.test.toFixed(1)} s)`,
  );
  console.log(
    `merge: 1 blob ${m.merge1.toFixed(1)} s, 4 blobs ${m.merge4.toFixed(1)} s → ${mergeFixed.toFixed(1)} s + ${perBlob.toFixed(2)} s per blob`,
  );
  console.log(
    `contention: example suite (${m.files} files) 1 shard ${m.wall1.toFixed(1)} s, 4 shards at once ${m.wall4.toFixed(1)} s: 4-vs-1 wall ratio ${(m.wall4 / m.wall1).toFixed(3)}, speed-up ${speedup4.toFixed(2)}×`,
  );
  const W = SERIAL_MINUTES * 60;
  const merge = (n: number) => mergeFixed + perBlob * n;
  // One engine: every shard shares its cores; past one shard the speed-up is the measured 4-shard one at most.
  const single = (n: number) => m.install + start + W / (n === 1 ? 1 : Math.min(n, speedup4)) + merge(n);
  // One runner per shard: install + start-up + W/N on each, in parallel; then the merge job installs and merges.
  const runner = (n: number) => m.install + start + W / n + m.install + merge(n);
  const minutes = (s: number) => (s / 60).toFixed(1);
  console.log(`\n| shards | one engine (min) | one runner per shard (min) | runner-minutes |`);
  console.log(`|---|---|---|---|`);
  for (const n of [1, 2, 4, 8, 16])
    console.log(
      `| ${n} | ${minutes(single(n))} | ${minutes(runner(n))} | ${minutes(n * (m.install + start + W / n) + m.install + merge(n))} |`,
    );
}

await main();
