/**
 * P4: shard balance, out of sample, on a deliberately skewed Playwright suite (16 spec files, one 5× longer than
 * the others), on Debian Chromium, with the plan's own shard commands. Each round runs two 4-shard runs in turn:
 *   1. Playwright's own --shard=i/4 (no timings); its reports record each file's duration;
 *   2. the plan's LPT balance over THOSE timings: the timings of one run balance the next, independent run.
 * What is reported is each run's observed makespan (the longest shard's wall time, process start to exit, the
 * 4 shards started together) against the ideal (the sum of the 4 shard wall times ÷ 4); goal for balanced <= 1.10.
 *   npm run bench:p4            (-- --runs 5 for more rounds, default 3; --unit-ms 1000 the short file's length)
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { defaultConfig } from "../ci/src/plan/config/defaults";
import { E2E_PATHS, planE2e, type E2ePlan } from "../ci/src/plan/e2e/stage";
import { balanceRatio } from "../ci/src/plan/e2e/shards";
import { fileTimings, parseReport } from "../ci/src/plan/e2e/playwrightReport";
import type { Step } from "../ci/src/plan/job";
import { processExecutor } from "../scripts/host/exec";
import { linkFrontendDeps } from "../test/support/e2eFixtures";
import { copyExample } from "../test/support/example";
import { bracketedRatios, formatSpread, pairRatios, runsOption, spread } from "./support/stats";

const { values } = parseArgs({
  options: {
    runs: { type: "string" },
    "unit-ms": { type: "string", default: "1000" },
    files: { type: "string", default: "16" },
  },
});
const RUNS = runsOption(values.runs, 3);
const UNIT = Number(values["unit-ms"]);
const FILES = Number(values.files);
const SHARDS = 4;
const c = defaultConfig();

/** One test per file, a page and a wait: file 01 is 5× longer than the rest. */
function writeSkewedSuite(e2eDir: string): string[] {
  rmSync(e2eDir, { recursive: true, force: true });
  mkdirSync(e2eDir, { recursive: true });
  const names = Array.from({ length: FILES }, (_, i) => `skew-${String(i + 1).padStart(2, "0")}.spec.ts`);
  names.forEach((name, i) => {
    const ms = i === 0 ? 5 * UNIT : UNIT;
    writeFileSync(
      join(e2eDir, name),
      `import { expect, test } from "@playwright/test";\n\ntest("waits ${ms} ms", async ({ page }) => {\n  await page.setContent("<h1>${name}</h1>");\n  await page.waitForTimeout(${ms});\n  await expect(page.locator("h1")).toHaveText("${name}");\n});\n`,
    );
  });
  return names;
}

/** Run one step to the end; its wall seconds (throws with the output's tail when it failed). */
async function timedStep(step: Step, cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const t = performance.now();
  const r = await processExecutor(step, cwd, { ...process.env, ...env, ...step.env }, () => {});
  if (r.exitCode !== 0) throw new Error(`${step.name} failed (exit ${r.exitCode}):\n${r.output.slice(-2000)}`);
  return (performance.now() - t) / 1000;
}

/** The file timings a shard's blob report records (what the runner's record keeps for the next run). */
async function shardTimings(fe: string, index: number): Promise<Map<string, number>> {
  const out = join(fe, `.e2e/shard-${index}.json`);
  const merge = {
    name: "merge",
    argv: ["npx", "playwright", "merge-reports", "--reporter=json", E2E_PATHS.blobDir(index)],
  };
  await timedStep(merge, fe, { PLAYWRIGHT_JSON_OUTPUT_FILE: out });
  return fileTimings(parseReport(readFileSync(out, "utf8")));
}

interface ShardRun {
  /** Each shard's wall seconds, all started together. */
  walls: number[];
  /** Every file's duration as this run recorded it. */
  timings: Map<string, number>;
  /** Each shard's test time as its own report says (the sum of its files' durations). */
  testLoads: number[];
}

/** Start every shard of a plan at once (the plan's argv and env); each shard's wall time and the run's timings. */
async function runShards(plan: E2ePlan, fe: string): Promise<ShardRun> {
  rmSync(join(fe, ".e2e"), { recursive: true, force: true });
  const walls = await Promise.all(plan.shardJobs.map((job) => timedStep(job.steps[0], fe, job.env)));
  const timings = new Map<string, number>();
  const testLoads: number[] = [];
  for (let i = 1; i <= plan.shardJobs.length; i++) {
    const shard = await shardTimings(fe, i);
    for (const [f, s] of shard) timings.set(f, s);
    testLoads.push([...shard.values()].reduce((a, b) => a + b, 0));
  }
  return { walls, timings, testLoads };
}

function plan(files: string[], timings: Map<string, number>): E2ePlan {
  return planE2e(c, {
    suite: "full",
    shards: SHARDS,
    files,
    timings,
    baseUrl: "http://127.0.0.1:9",
    apiUrl: "http://127.0.0.1:9",
    playwrightVersion: "1.65.1",
  });
}

const makespan = (walls: number[]) => Math.max(...walls);
const ideal = (walls: number[]) => walls.reduce((s, x) => s + x, 0) / walls.length;

/** Rounds of (a Playwright --shard run, then an LPT run balanced by the timings that run just recorded). */
async function measure(files: string[], fe: string): Promise<{ pw: ShardRun[]; lpt: ShardRun[] }> {
  const pw: ShardRun[] = [];
  const lpt: ShardRun[] = [];
  const show = (name: string, r: ShardRun) =>
    console.log(
      `  ${name.padEnd(12)} shard walls ${r.walls.map((w) => w.toFixed(1)).join(" / ")} s; test time ${r.testLoads.map((w) => w.toFixed(1)).join(" / ")} s`,
    );
  for (let round = 1; round <= RUNS; round++) {
    pw.push(await runShards(plan(files, new Map()), fe));
    show(`${round} --shard`, pw[pw.length - 1]);
    const balanced = plan(files, pw[pw.length - 1].timings);
    if (round === 1) console.log(`  (balanced: ${balanced.assignment.reason})`);
    lpt.push(await runShards(balanced, fe));
    show(`${round} balanced`, lpt[lpt.length - 1]);
  }
  return { pw, lpt };
}

function report(pw: ShardRun[], lpt: ShardRun[]): void {
  const ms = (rs: ShardRun[]) => rs.map((r) => makespan(r.walls));
  const ratio = (rs: ShardRun[]) => rs.map((r) => balanceRatio(r.walls));
  console.log(
    `rounds: ${RUNS}, ${SHARDS} shards, machine: ${cpus().length} cores, load average now ${loadavg()[0].toFixed(2)}`,
  );
  console.log(formatSpread("makespan, balanced (next run)", spread(ms(lpt))));
  console.log(formatSpread("makespan, Playwright --shard", spread(ms(pw))));
  console.log(formatSpread("ideal (sum ÷ 4), balanced", spread(lpt.map((r) => ideal(r.walls)))));
  console.log(formatSpread("ideal (sum ÷ 4), Playwright --shard", spread(pw.map((r) => ideal(r.walls)))));
  console.log(formatSpread("P4 balanced makespan ÷ ideal (goal <= 1.10)", spread(ratio(lpt)), "", 3));
  console.log(formatSpread("P4 --shard makespan ÷ ideal", spread(ratio(pw)), "", 3));
  const tl = (rs: ShardRun[]) => rs.map((r) => balanceRatio(r.testLoads));
  console.log(formatSpread("   test time only (each shard's report), balanced", spread(tl(lpt)), "", 3));
  console.log(formatSpread("   test time only (each shard's report), --shard", spread(tl(pw)), "", 3));
  console.log(formatSpread("balanced ÷ --shard makespan, per round", spread(pairRatios(ms(lpt), ms(pw))), "", 3));
  if (RUNS > 1)
    console.log(formatSpread("balanced ÷ √(--shard before × after)", spread(bracketedRatios(ms(pw), ms(lpt))), "", 3));
}

async function main(): Promise<void> {
  const copy = copyExample();
  try {
    linkFrontendDeps(copy.dir);
    const fe = join(copy.dir, "frontend");
    const files = writeSkewedSuite(join(fe, "e2e"));
    console.log(`skewed suite: ${files.length} files, ${files[0]} waits ${5 * UNIT} ms, the others ${UNIT} ms`);
    const { pw, lpt } = await measure(files, fe);
    report(pw, lpt);
  } finally {
    copy.remove();
  }
}

await main();
