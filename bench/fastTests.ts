/**
 * P1: host fast-tests wall time ÷ the same commands started by hand in parallel (goal <= 1.05).
 * P2: fast-tests wall time ÷ the slowest single job run alone (goal <= 1.10).
 * On a fresh copy of the example app, after one unmeasured warm-up run (warm ~/.npm, uv and .next caches), the
 * sides run in turn, round after round: by hand, fast-tests, frontend-checks, backend-tests, by hand, ...
 * "By hand" is the plan's own commands as a bash script (bench/support/handScript.ts): the two jobs in background
 * subshells, the backend's MongoDB stand-in started inside its subshell, so it overlaps the frontend job as the
 * runner's does; same env, same tools first on PATH, same stop (SIGTERM, SIGKILL after 1.5 s).
 *   npm run bench              (-- --runs 5 for more rounds; default 3)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { delimiter, join } from "node:path";
import { parseArgs } from "node:util";
import { planFastTests } from "../ci/src/plan/fastTests/stage";
import type { HostServiceCommand, StagePlan } from "../ci/src/plan/job";
import { readConfig } from "../scripts/host/config";
import { findServiceBin, freePort } from "../scripts/host/services";
import { TOOLS_BIN } from "../scripts/host/stage";
import { copyExample, ROOT } from "../test/support/example";
import { handScript } from "./support/handScript";
import { alternate, bracketedRatios, formatSpread, pairRatios, runsOption, spread } from "./support/stats";

const { values } = parseArgs({ options: { runs: { type: "string" } } });
const RUNS = runsOption(values.runs, 3);
const TSX = join(ROOT, "node_modules/.bin/tsx");
const PIPELINE = join(ROOT, "scripts/pipeline.ts");
const PATH = [TOOLS_BIN, process.env.PATH ?? ""].join(delimiter);

/** Run a command to the end; its wall seconds, or a thrown error with its output when it failed. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { env, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return (performance.now() - t) / 1000;
}

/** The command each service would start with here: the runner's pick, the first candidate on PATH. */
async function serviceCommands(stage: StagePlan): Promise<Record<string, HostServiceCommand>> {
  const out: Record<string, HostServiceCommand> = {};
  for (const svc of stage.jobs.flatMap((j) => j.services)) {
    const bin = await findServiceBin(svc, PATH);
    const cmd = svc.host.candidates.find((c) => c.bin === bin);
    if (!cmd) throw new Error(`no ${svc.alias} server on PATH; ${svc.host.installHint}`);
    out[svc.alias] = cmd;
  }
  return out;
}

/** Write the by-hand script; return a function that runs it once (fresh ports, like the runner) and times it. */
async function byHand(dir: string): Promise<() => Promise<number>> {
  const stage = planFastTests(await readConfig(dir));
  const logDir = join(dir, "..", "by-hand-logs");
  mkdirSync(logDir, { recursive: true });
  const script = join(dir, "..", "by-hand.sh");
  writeFileSync(
    script,
    handScript(stage, { sourceDir: dir, toolsBin: TOOLS_BIN, logDir, serviceCommands: await serviceCommands(stage) }),
  );
  const aliases = stage.jobs.flatMap((j) => j.services.map((s) => s.alias));
  return async () => {
    const ports = Object.fromEntries(
      await Promise.all(aliases.map(async (a) => [`BENCH_PORT_${a.toUpperCase()}`, String(await freePort())])),
    );
    return timed("bash", [script], { ...process.env, ...ports });
  };
}

function report(m: Record<"hand" | "runner" | "frontend" | "backend", number[]>): void {
  const slowest = m.frontend.map((f, i) => Math.max(f, m.backend[i]));
  const s = (xs: number[]) => spread(xs);
  console.log(`rounds: ${RUNS}, machine: ${cpus().length} cores, load average now ${loadavg()[0].toFixed(2)}`);
  console.log(formatSpread("fast-tests (host runner)", s(m.runner)));
  console.log(formatSpread("same commands by hand, parallel", s(m.hand)));
  console.log(formatSpread("frontend-checks alone", s(m.frontend)));
  console.log(formatSpread("backend-tests alone", s(m.backend)));
  console.log(
    `P1 = median runner ÷ median by hand = ${(s(m.runner).median / s(m.hand).median).toFixed(3)} (goal <= 1.05)`,
  );
  console.log(formatSpread("P1 per round (runner ÷ by hand)", s(pairRatios(m.runner, m.hand)), "", 3));
  if (RUNS > 1)
    console.log(formatSpread("P1 runner ÷ √(hand before × hand after)", s(bracketedRatios(m.hand, m.runner)), "", 3));
  console.log(
    `P2 = median runner ÷ median slowest job = ${(s(m.runner).median / s(slowest).median).toFixed(3)} (goal <= 1.10)`,
  );
  console.log(formatSpread("P2 per round (runner ÷ slowest job)", s(pairRatios(m.runner, slowest)), "", 3));
}

async function main(): Promise<void> {
  const copy = copyExample();
  try {
    const hand = await byHand(copy.dir);
    const run = (cmd: string) => () => timed(TSX, [PIPELINE, cmd, "--source", copy.dir]);
    console.log("warm-up run (not measured)…");
    run("fast-tests")();
    const m = await alternate(
      RUNS,
      { hand, runner: run("fast-tests"), frontend: run("frontend-checks"), backend: run("backend-tests") },
      (side, round, v) => console.log(`  round ${round + 1} ${side.padEnd(8)} ${v.toFixed(2)} s`),
    );
    report(m);
  } finally {
    copy.remove();
  }
}

await main();
