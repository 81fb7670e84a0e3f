/**
 * P3: fast-tests with nothing changed since the base completes in <= 2 s on the host runner. Compared with
 * fast-tests after a one-file backend change, on a temp clone of this repo; the two run in turn, round after round.
 *   npm run bench:p3            (-- --runs 5 for more rounds, default 3)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { alternate, formatSpread, pairRatios, runsOption, spread } from "./support/stats";

const ROOT = resolve(import.meta.dirname, "..");
const GOAL_SECONDS = 2;
const { values } = parseArgs({ options: { runs: { type: "string" } } });
const RUNS = runsOption(values.runs, 3);
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "b@b",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "b@b",
};

/** Wall seconds of `fast-tests --base <base> --head HEAD` on the clone; throws with the output when it failed. */
function fastTests(dir: string, base: string): number {
  const cli = join(ROOT, "node_modules/tsx/dist/cli.mjs");
  const args = [cli, join(ROOT, "scripts/pipeline.ts"), "fast-tests", "--source", join(dir, "examples/app")];
  const t = performance.now();
  const r = spawnSync(process.execPath, [...args, "--base", base, "--head", "HEAD"], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`fast-tests --base ${base} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return (performance.now() - t) / 1000;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "p3-"));
  try {
    execFileSync("git", ["clone", "-q", ROOT, dir], { env });
    appendFileSync(join(dir, "examples/app/backend/app/__init__.py"), "\n# bench: one changed file\n");
    execFileSync("git", ["commit", "-qam", "test: bench change"], { cwd: dir, env });
    // HEAD~1..HEAD changes one backend file; HEAD..HEAD changes nothing.
    const m = await alternate(
      RUNS,
      { nothing: () => fastTests(dir, "HEAD"), oneFile: () => fastTests(dir, "HEAD~1") },
      (side, round, v) => console.log(`  round ${round + 1} ${side.padEnd(8)} ${v.toFixed(2)} s`),
    );
    const nothing = spread(m.nothing);
    console.log(`rounds: ${RUNS}, machine: ${cpus().length} cores, load average now ${loadavg()[0].toFixed(2)}`);
    console.log(formatSpread("P3 nothing changed (goal <= 2 s)", nothing));
    console.log(formatSpread("one backend file changed", spread(m.oneFile)));
    console.log(formatSpread("nothing ÷ one file, per round", spread(pairRatios(m.nothing, m.oneFile)), "", 3));
    console.log(`P3 goal by the median: ${nothing.median <= GOAL_SECONDS ? "met" : "MISSED"}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
