/**
 * P10: host fast-tests ÷ the seed-style sequential job on a realistic generated fixture (goal <= 0.6), and fast-tests
 * ÷ (its CPU time ÷ cores), how close it comes to what the machine can do.
 * The fixture (bench/support/p10Fixture.ts) is generated once into a cache folder. After one unmeasured warm-up
 * fast-tests (warm ~/.npm, uv and .next caches), the sides run in turn, round after round: seed-style, fast-tests, …
 * "Seed-style" is the seed's workflow on this machine: one job per tier, started together, each running its steps
 * one after another with the tools' own defaults (jest's workers, pytest in one process), written as bash
 * (bench/support/handScript.ts) from the plan with backend.parallel: off and no worker flags.
 * Every run is timed by /usr/bin/time: wall seconds, and user + system CPU seconds of all its processes.
 *   npm run bench:p10            (-- --runs 5 for more rounds; default 3)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { planFastTests } from "../ci/src/plan/fastTests/stage";
import type { HostServiceCommand, StagePlan } from "../ci/src/plan/job";
import { readConfig } from "../scripts/host/config";
import { hostOverrides } from "../scripts/host/job";
import { findServiceBin, freePort } from "../scripts/host/services";
import { TOOLS_BIN } from "../scripts/host/stage";
import { ROOT } from "../test/support/example";
import { handScript } from "./support/handScript";
import { DEFAULT_SIZE, fixtureDir, fixtureReady, markReady, writeFixture } from "./support/p10Fixture";
import { alternate, formatSpread, pairRatios, runsOption, spread } from "./support/stats";

const { values } = parseArgs({ options: { runs: { type: "string" }, dir: { type: "string" } } });
const RUNS = runsOption(values.runs, 3);
const CORES = availableParallelism();
const TSX = join(ROOT, "node_modules/.bin/tsx");
const PIPELINE = join(ROOT, "scripts/pipeline.ts");
const PATH = [TOOLS_BIN, process.env.PATH ?? ""].join(delimiter);

interface Sample {
  wall: number;
  cpu: number;
  /** The summary's lines on steps side by side and the critical path (fast-tests only). */
  steps?: string[];
}

/** Run a command under /usr/bin/time; wall and CPU seconds (its own and its waited-for children's). */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Sample {
  const out = join(dirname(DIR), "time.txt");
  const r = spawnSync("/usr/bin/time", ["-o", out, "-f", "%e %U %S", cmd, ...args], {
    env,
    encoding: "utf8",
    maxBuffer: 256 << 20,
  });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout.slice(-4000)}\n${r.stderr}`);
  const [wall, user, sys] = readFileSync(out, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  const steps = r.stdout.split("\n").filter((l) => /^\w+: (in parallel|critical path):/.test(l));
  return { wall, cpu: user + sys, steps };
}

const DIR = values.dir ?? fixtureDir(DEFAULT_SIZE);

/** Generate the fixture unless a complete one is there; lock the backend with pytest-xdist added. */
async function ensureFixture(): Promise<void> {
  if (fixtureReady(DIR)) return;
  console.log(`generating the fixture in ${DIR} …`);
  writeFixture(DIR, DEFAULT_SIZE);
  const be = join(DIR, "backend");
  const job = planFastTests(await readConfig(DIR)).jobs.find((j) => j.name === "backend")!;
  const env = { ...process.env, PATH, UV_PYTHON_DOWNLOADS: "never", ...(await hostOverrides(job, process.env)) };
  const r = spawnSync("uv", ["lock"], { cwd: be, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`uv lock in ${be} failed:\n${r.stderr}`);
  markReady(DIR);
}

/** The runner's pick of a command per service: the first candidate on PATH. */
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

/** The seed-style job as a bash script; a function that runs it once (fresh ports) and times it. */
async function seedStyle(): Promise<() => Sample> {
  const c = await readConfig(DIR);
  const stage = planFastTests({ ...c, backend: { ...c.backend, parallel: "off" } });
  const plain = {
    ...stage,
    jobs: stage.jobs.map((j) => ({ ...j, steps: j.steps.map((s) => ({ ...s, workers: undefined })) })),
  };
  const backend = stage.jobs.find((j) => j.name === "backend")!;
  const overrides = await hostOverrides(backend, process.env);
  const logDir = join(dirname(DIR), "seed-style-logs");
  mkdirSync(logDir, { recursive: true });
  const script = join(dirname(DIR), "seed-style.sh");
  const text = handScript(plain, {
    sourceDir: DIR,
    toolsBin: TOOLS_BIN,
    logDir,
    serviceCommands: await serviceCommands(plain),
  });
  writeFileSync(script, text);
  const aliases = stage.jobs.flatMap((j) => j.services.map((s) => s.alias));
  return () => {
    clean();
    const ports = Object.fromEntries(aliases.map((a) => [`BENCH_PORT_${a.toUpperCase()}`, String(PORTS.get(a))]));
    return timed("bash", [script], { ...process.env, ...overrides, ...ports });
  };
}

const PORTS = new Map<string, number>();

/** What a fresh checkout would not have: tsc's incremental state and the last run's outputs (caches stay). */
function clean(): void {
  for (const p of ["frontend/tsconfig.tsbuildinfo", "frontend/coverage", "backend/.coverage", "backend/coverage.xml"])
    rmSync(join(DIR, p), { recursive: true, force: true });
}

function fastTests(): Sample {
  clean();
  return timed(TSX, [PIPELINE, "fast-tests", "--source", DIR]);
}

function report(m: Record<"seed" | "fast", Sample[]>): void {
  const wall = (xs: Sample[]) => xs.map((x) => x.wall);
  const s = (xs: number[]) => spread(xs);
  const toLimit = m.fast.map((x) => x.wall / (x.cpu / CORES));
  console.log(
    `rounds: ${RUNS}, machine: ${CORES} cores, load average now ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(formatSpread("seed-style sequential job", s(wall(m.seed))));
  console.log(formatSpread("fast-tests (host runner)", s(wall(m.fast))));
  console.log(formatSpread("seed-style CPU (user + sys)", s(m.seed.map((x) => x.cpu))));
  console.log(formatSpread("fast-tests CPU (user + sys)", s(m.fast.map((x) => x.cpu))));
  const p10 = s(wall(m.fast)).median / s(wall(m.seed)).median;
  console.log(
    `P10 = median fast-tests ÷ median seed-style = ${p10.toFixed(3)} (goal <= 0.6)${p10 <= 0.6 ? "" : " MISSED"}`,
  );
  console.log(
    formatSpread("P10 per round (fast-tests ÷ seed-style)", s(pairRatios(wall(m.fast), wall(m.seed))), "", 3),
  );
  console.log(formatSpread(`fast-tests ÷ (its CPU ÷ ${CORES} cores)`, s(toLimit), "", 3));
  console.log("the last fast-tests summary's step lines:");
  for (const l of m.fast.at(-1)?.steps ?? []) console.log(`  ${l}`);
}

async function main(): Promise<void> {
  console.log(
    `load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  await ensureFixture();
  for (const a of ["mongo"]) PORTS.set(a, await freePort());
  const seed = await seedStyle();
  console.log("warm-up fast-tests (not measured)…");
  const warm = fastTests();
  console.log(`  warm-up ${warm.wall.toFixed(1)} s`);
  const m = await alternate(RUNS, { seed, fast: fastTests }, (side, round, v) =>
    console.log(
      `  round ${round + 1} ${side.padEnd(5)} ${v.wall.toFixed(1)} s wall, ${v.cpu.toFixed(1)} s CPU, load ${loadavg()[0].toFixed(2)}`,
    ),
  );
  report(m);
}

await main();
