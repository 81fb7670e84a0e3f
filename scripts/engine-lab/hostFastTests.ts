/**
 * The host side of the engine lab's ratio: `npm run pipeline -- fast-tests` on a fresh copy of examples/app, cold
 * (empty npm and uv caches, no node_modules/.venv/.next) then warm (same copy, caches filled, a file added in
 * frontend/ and backend/, as driver.ts's warm step; ENGINE_LAB_RUNS times, a new file each); wall seconds and the
 * 1-minute load average at the end of each run written to $ENGINE_LAB_OUT/host.json for the results.
 *   npx tsx scripts/engine-lab/hostFastTests.ts
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { copyExample, ROOT } from "../../test/support/example";
import { labOut } from "./results";

/** One host fast-tests run on `dir`; wall seconds and whether it passed. */
function fastTests(
  dir: string,
  env: NodeJS.ProcessEnv,
): { seconds: number; passed: boolean; tail: string; load: number } {
  const t = performance.now();
  const r = spawnSync(
    join(ROOT, "node_modules/.bin/tsx"),
    [join(ROOT, "scripts/pipeline.ts"), "fast-tests", "--source", dir],
    {
      cwd: ROOT,
      env,
      encoding: "utf8",
      maxBuffer: 64 << 20,
    },
  );
  const seconds = (performance.now() - t) / 1000;
  const tail = `${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-3).join(" | ");
  return { seconds, passed: r.status === 0, tail, load: Number(loadavg()[0].toFixed(1)) };
}

const app = copyExample();
const caches = mkdtempSync(join(tmpdir(), "engine-lab-host-caches-"));
try {
  const env = { ...process.env, npm_config_cache: join(caches, "npm"), UV_CACHE_DIR: join(caches, "uv") };
  console.log(`host fast-tests on ${app.dir}: cold (empty npm/uv caches) ...`);
  const cold = fastTests(app.dir, env);
  console.log(
    `  cold ${cold.seconds.toFixed(1)} s (load ${cold.load}) ${cold.passed ? "passed" : `FAILED: ${cold.tail}`}`,
  );
  const warmRuns = Array.from({ length: Math.max(1, Number(process.env.ENGINE_LAB_RUNS ?? 3)) }, (_, i) => {
    for (const d of ["frontend", "backend"]) writeFileSync(join(app.dir, d, `engine-lab-run-${i + 1}.txt`), Date());
    const warm = fastTests(app.dir, env);
    console.log(`  warm-${i + 1} ${warm.seconds.toFixed(1)} s ${warm.passed ? "passed" : `FAILED: ${warm.tail}`}`);
    return warm;
  });
  const [warm] = warmRuns;
  mkdirSync(labOut(), { recursive: true });
  writeFileSync(
    join(labOut(), "host.json"),
    JSON.stringify({ cold, warm, warmRuns, at: new Date().toISOString() }, null, 2),
  );
} finally {
  app.remove();
  rmSync(caches, { recursive: true, force: true });
}
