/**
 * What a pull request's caches of its own (ci/src/plan/triggers/cacheScope.ts) cost, measured in one run on this
 * machine: `fast-tests` on a copy of the example app for a push (the shared caches, warm), for a pull request's first
 * run (its own caches, empty: every package downloaded) and for its second run (its own caches, warm), alternating,
 * --runs rounds (default 2) after one warm-up of the push. Each round's pull request is a new number; their cache
 * folders are deleted at the end.
 *   npm run bench:scope              (-- --runs 3 for more rounds)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { scopesRoot } from "../scripts/host/sandbox";
import { copyExample, ROOT } from "../test/support/example";
import { formatSpread, pairRatios, runsOption, spread } from "./support/stats";

const { values } = parseArgs({ options: { runs: { type: "string" } } });
const RUNS = runsOption(values.runs, 2);
const TSX = join(ROOT, "node_modules/.bin/tsx");
const PIPELINE = join(ROOT, "scripts/pipeline.ts");

function timed(argv: string[]): number {
  const t = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return (performance.now() - t) / 1000;
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} cores, load ${loadavg()[0].toFixed(2)} at start`);
  const copy = copyExample();
  const events = mkdtempSync(join(tmpdir(), "bench-scope-"));
  const sha = (c: string) => c.repeat(40);
  const event = (name: string, payload: object) => {
    const file = join(events, `${name}.json`);
    writeFileSync(file, JSON.stringify(payload));
    return file;
  };
  const push = event("push", { ref: "refs/heads/main", before: sha("a"), after: sha("b") });
  const numbers: number[] = [];
  const run = (file: string) => timed([TSX, PIPELINE, "fast-tests", "--source", copy.dir, "--event-file", file]);
  try {
    console.log("warm-up run of the push (not measured)…");
    run(push);
    const m = { shared: [] as number[], prFirst: [] as number[], prWarm: [] as number[] };
    for (let round = 0; round < RUNS; round++) {
      const n = 900_000 + Math.floor(Math.random() * 99_999);
      numbers.push(n);
      const pr = event(`pr-${n}`, {
        number: n,
        pull_request: { base: { sha: sha("a"), ref: "main" }, head: { sha: sha("b"), ref: `bench/${n}` } },
      });
      for (const [side, file] of [
        ["shared", push],
        ["prFirst", pr],
        ["prWarm", pr],
      ] as const) {
        const s = run(file);
        m[side].push(s);
        console.log(`  round ${round + 1} ${side.padEnd(8)} ${s.toFixed(2)} s`);
      }
    }
    console.log(formatSpread("fast-tests, a push (shared caches, warm)", spread(m.shared)));
    console.log(formatSpread("fast-tests, a pull request's first run (own caches, empty)", spread(m.prFirst)));
    console.log(formatSpread("fast-tests, its second run (own caches, warm)", spread(m.prWarm)));
    console.log(formatSpread("first run ÷ push, per round", spread(pairRatios(m.prFirst, m.shared)), "", 3));
    console.log(formatSpread("second run ÷ push, per round", spread(pairRatios(m.prWarm, m.shared)), "", 3));
    console.log(`load ${loadavg()[0].toFixed(2)} at the end`);
  } finally {
    copy.remove();
    rmSync(events, { recursive: true, force: true });
    for (const n of numbers) rmSync(join(scopesRoot(process.env), `pr-${n}`), { recursive: true, force: true });
  }
}

await main();
