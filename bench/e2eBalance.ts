/**
 * P4: shard balance on a deliberately skewed Playwright suite: 16 spec files, one 5× longer
 * than the others. In one run, on Debian Chromium, with the plan's own shard commands:
 *   1. 1 shard (its merged JSON report gives the timings, and the 1-shard wall time);
 *   2. 4 shards, Playwright's own --shard=i/4 (no timings);
 *   3. 4 shards, balanced by the plan's LPT over the first run's file timings.
 * A shard's load is the sum of the 1-shard run's durations of the files it ran (read from its
 * own blob, merged alone), so both modes are weighed with the same uncontended clock and the
 * ratio measures balance, not this 2-core machine's contention; the loads as each 4-shard run
 * itself reported them (4 Chromiums on 2 cores) are printed too.
 * Ratio = the longest shard ÷ the ideal (total ÷ N); goal for balanced <= 1.10.
 *   npm run bench:p4            (add -- --unit-ms 1000 to change the short file's length)
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { defaultConfig } from "../ci/src/plan/config/defaults";
import { E2E_PATHS, planE2e, type E2ePlan } from "../ci/src/plan/e2e/stage";
import { balanceRatio } from "../ci/src/plan/e2e/shards";
import { fileTimings, parseReport, reportedTests } from "../ci/src/plan/e2e/playwrightReport";
import { processExecutor } from "../scripts/host/exec";
import { linkFrontendDeps } from "../test/support/e2eFixtures";
import { copyExample } from "../test/support/example";

const { values } = parseArgs({
  options: { "unit-ms": { type: "string", default: "1000" }, files: { type: "string", default: "16" } },
});
const UNIT = Number(values["unit-ms"]);
const FILES = Number(values.files);
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

/** Run every shard of a plan in parallel (the plan's own argv and env); return wall seconds and each shard's load. */
async function runShards(
  plan: E2ePlan,
  fe: string,
): Promise<{ wall: number; loads: number[]; files: string[][]; json: string[] }> {
  rmSync(join(fe, ".e2e"), { recursive: true, force: true });
  const t = performance.now();
  const codes = await Promise.all(
    plan.shardJobs.map((job) =>
      processExecutor(job.steps[0], fe, { ...process.env, ...job.env, ...job.steps[0].env }, () => {}),
    ),
  );
  const wall = (performance.now() - t) / 1000;
  codes.forEach((r, i) => {
    if (r.exitCode !== 0) throw new Error(`shard ${i + 1} failed (exit ${r.exitCode}):\n${r.output.slice(-2000)}`);
  });
  const json: string[] = [];
  for (let i = 1; i <= plan.shardJobs.length; i++) {
    const out = join(fe, `.e2e/shard-${i}.json`);
    const merged = await processExecutor(
      { name: "merge", argv: ["npx", "playwright", "merge-reports", "--reporter=json", E2E_PATHS.blobDir(i)] },
      fe,
      { ...process.env, PLAYWRIGHT_JSON_OUTPUT_FILE: out },
      () => {},
    );
    if (merged.exitCode !== 0) throw new Error(`merge of shard ${i} failed:\n${merged.output}`);
    json.push(readFileSync(out, "utf8"));
  }
  const loads = json.map(
    (j) =>
      reportedTests(parseReport(j)).reduce((s, x) => s + x.test.results.reduce((a, r) => a + r.duration, 0), 0) / 1000,
  );
  const files = json.map((j) => [...new Set(reportedTests(parseReport(j)).map((x) => x.file))]);
  return { wall, loads, files, json };
}

function plan(files: string[], shards: number, timings: Map<string, number>): E2ePlan {
  return planE2e(c, {
    suite: "full",
    shards,
    files,
    timings,
    baseUrl: "http://127.0.0.1:9",
    apiUrl: "http://127.0.0.1:9",
    playwrightVersion: "1.65.1",
  });
}

const copy = copyExample();
try {
  linkFrontendDeps(copy.dir);
  const fe = join(copy.dir, "frontend");
  const files = writeSkewedSuite(join(fe, "e2e"));
  console.log(
    `skewed suite: ${files.length} files, ${files[0]} waits ${5 * UNIT} ms, the others ${UNIT} ms; machine: ${cpus().length} cores`,
  );
  const one = await runShards(plan(files, 1, new Map()), fe);
  const timings = fileTimings(parseReport(one.json[0]));
  const pw = await runShards(plan(files, 4, new Map()), fe);
  const balancedPlan = plan(files, 4, timings);
  const lpt = await runShards(balancedPlan, fe);
  const fmt = (l: number[]) => l.map((x) => x.toFixed(1)).join(" / ");
  const weigh = (shardFiles: string[][]) => shardFiles.map((fs) => fs.reduce((s, f) => s + (timings.get(f) ?? 0), 0));
  const [pwRef, lptRef] = [weigh(pw.files), weigh(lpt.files)];
  console.log(`1 shard:                 load ${fmt(one.loads)} s, wall ${one.wall.toFixed(1)} s`);
  console.log(
    `4 shards, --shard=i/4:   loads ${fmt(pwRef)} s by the 1-shard clock (${fmt(pw.loads)} s as reported), wall ${pw.wall.toFixed(1)} s`,
  );
  console.log(
    `4 shards, balanced LPT:  loads ${fmt(lptRef)} s by the 1-shard clock (${fmt(lpt.loads)} s as reported), wall ${lpt.wall.toFixed(1)} s`,
  );
  console.log(
    `  (${balancedPlan.assignment.reason}; every file ran once: ${lpt.files.flat().length === files.length && pw.files.flat().length === files.length})`,
  );
  console.log(
    `P4 balanced makespan ÷ ideal = ${balanceRatio(lptRef).toFixed(3)} (goal <= 1.10); as reported under contention ${balanceRatio(lpt.loads).toFixed(3)}`,
  );
  console.log(
    `P4 Playwright --shard makespan ÷ ideal = ${balanceRatio(pwRef).toFixed(3)} (same suite, same run); as reported ${balanceRatio(pw.loads).toFixed(3)}`,
  );
  console.log(
    `wall 4 shards (balanced) ÷ 1 shard = ${(lpt.wall / one.wall).toFixed(3)} (on ${cpus().length} cores: 4 Chromiums share 2 cores)`,
  );
} finally {
  copy.remove();
}
