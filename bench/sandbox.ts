/**
 * What the sandbox of repository commands (scripts/host/sandbox.ts) costs, measured in one run on this machine:
 *   per command: `node -e 0` as the runner starts a repository command (repositoryArgv: working out what to mask,
 *                then bubblewrap with those masks) vs the same started bare, alternating, --runs × 10 pairs;
 *   per stage:   `fast-tests` on a copy of the example app confined (the default) ÷ with PIPELINE_SANDBOX=off,
 *                alternating, --runs rounds (default 3) after one warm-up of each.
 *   npm run bench:sandbox            (-- --runs 5 for more rounds)
 */
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { probeSandbox, repositoryArgv } from "../scripts/host/sandbox";
import { copyExample, ROOT } from "../test/support/example";
import { alternate, formatSpread, pairRatios, runsOption, spread } from "./support/stats";

const { values } = parseArgs({ options: { runs: { type: "string" } } });
const RUNS = runsOption(values.runs, 3);
const TSX = join(ROOT, "node_modules/.bin/tsx");
const PIPELINE = join(ROOT, "scripts/pipeline.ts");

function timed(argv: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { env, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return (performance.now() - t) / 1000;
}

async function main(): Promise<void> {
  const probe = probeSandbox();
  if (!probe.ok) throw new Error(`the sandbox does not work here: ${probe.why}; run scripts/setup.sh`);
  console.log(`machine: ${cpus().length} cores, load ${loadavg()[0].toFixed(2)} at start`);

  const bare = ["node", "-e", "0"];
  // The masks are worked out for each command, as the runner does; that time counts.
  const boxed = () => {
    const t = performance.now();
    const argv = repositoryArgv(bare, process.cwd(), { ...process.env, PIPELINE_SANDBOX: "require" });
    return (performance.now() - t) / 1000 + timed(argv);
  };
  const one = await alternate(RUNS * 10, { bare: () => timed(bare), boxed });
  console.log(formatSpread("node -e 0, bare", spread(one.bare.map((x) => x * 1000)), "ms", 1));
  console.log(
    formatSpread("node -e 0, as a confined repository command", spread(one.boxed.map((x) => x * 1000)), "ms", 1),
  );
  console.log(`per command: +${((spread(one.boxed).median - spread(one.bare).median) * 1000).toFixed(1)} ms (medians)`);

  const copy = copyExample();
  try {
    const run = (mode: string) => () =>
      timed([TSX, PIPELINE, "fast-tests", "--source", copy.dir], { ...process.env, PIPELINE_SANDBOX: mode });
    console.log("warm-up runs (not measured)…");
    run("off")();
    run("auto")();
    const m = await alternate(RUNS, { off: run("off"), confined: run("auto") }, (side, round, v) =>
      console.log(`  round ${round + 1} ${side.padEnd(8)} ${v.toFixed(2)} s`),
    );
    console.log(formatSpread("fast-tests, PIPELINE_SANDBOX=off", spread(m.off)));
    console.log(formatSpread("fast-tests, confined", spread(m.confined)));
    console.log(formatSpread("confined ÷ off, per round", spread(pairRatios(m.confined, m.off)), "", 3));
    console.log(
      `sandbox cost = median confined ÷ median off = ${(spread(m.confined).median / spread(m.off).median).toFixed(3)}`,
    );
    console.log(`load ${loadavg()[0].toFixed(2)} at the end`);
  } finally {
    copy.remove();
  }
}

await main();
