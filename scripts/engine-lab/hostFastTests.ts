/**
 * The host side of the engine lab's ratio: `npm run pipeline -- fast-tests` on a fresh copy of examples/app, cold
 * (empty npm and uv caches, no node_modules/.venv/.next) then warm (same copy, caches filled, a file added in
 * frontend/ and backend/, as driver.ts's warm step); wall seconds written to $ENGINE_LAB_OUT/host.json for driver.ts.
 *   npx tsx scripts/engine-lab/hostFastTests.ts
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyExample, ROOT } from "../../test/support/example";
import { labOut } from "./results";

/** One host fast-tests run on `dir`; wall seconds and whether it passed. */
function fastTests(dir: string, env: NodeJS.ProcessEnv): { seconds: number; passed: boolean; tail: string } {
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
  return { seconds, passed: r.status === 0, tail: `${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-3).join(" | ") };
}

const app = copyExample();
const caches = mkdtempSync(join(tmpdir(), "engine-lab-host-caches-"));
try {
  const env = { ...process.env, npm_config_cache: join(caches, "npm"), UV_CACHE_DIR: join(caches, "uv") };
  console.log(`host fast-tests on ${app.dir}: cold (empty npm/uv caches) ...`);
  const cold = fastTests(app.dir, env);
  console.log(`  cold ${cold.seconds.toFixed(1)} s ${cold.passed ? "passed" : `FAILED: ${cold.tail}`}`);
  for (const d of ["frontend", "backend"]) writeFileSync(join(app.dir, d, "engine-lab-run.txt"), Date());
  const warm = fastTests(app.dir, env);
  console.log(`  warm ${warm.seconds.toFixed(1)} s ${warm.passed ? "passed" : `FAILED: ${warm.tail}`}`);
  mkdirSync(labOut(), { recursive: true });
  writeFileSync(join(labOut(), "host.json"), JSON.stringify({ cold, warm, at: new Date().toISOString() }, null, 2));
} finally {
  app.remove();
  rmSync(caches, { recursive: true, force: true });
}
