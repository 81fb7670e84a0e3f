/**
 * P1: host fast-tests wall time ÷ the same commands started by hand in parallel (goal <= 1.05).
 * P2: fast-tests wall time ÷ the slowest single job run alone (goal <= 1.10).
 * Measured in one run, on a fresh copy of the example app, after one warm-up run so that every
 * measurement sees the same warm ~/.npm, uv and .next caches.
 *   npm run bench            (add -- --runs 3 to average more runs)
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { copyExample, ROOT } from "../test/support/example";

const { values } = parseArgs({ options: { runs: { type: "string", default: "1" } } });
const RUNS = Math.max(1, Number(values.runs));
const TSX = join(ROOT, "node_modules/.bin/tsx");
const PIPELINE = join(ROOT, "scripts/pipeline.ts");

function timed(cmd: string, args: string[], env = process.env): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { env, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return (performance.now() - t) / 1000;
}

/**
 * The plan's own commands (from --dry-run), written out as a bash script a person would type: two subshells and `wait`.
 */
function byHandScript(dir: string): string {
  const dry = spawnSync(TSX, [PIPELINE, "fast-tests", "--source", dir, "--dry-run"], { encoding: "utf8" });
  const cmds = dry.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { job: string; cwd: string; argv: string[] });
  const q = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
  const job = (name: string) => {
    const lines = cmds.filter((c) => c.job === name).map((c) => c.argv.map(q).join(" "));
    return `( cd ${q(cmds.find((c) => c.job === name)!.cwd)} && ${lines.join(" && ")} ) > /dev/null 2>&1 &`;
  };
  return [
    "set -e",
    `data=$(mktemp -d); port=$((20000 + RANDOM % 20000))`,
    `${join(ROOT, ".tools/bin")}/ferretdb --handler=sqlite --sqlite-url=file:$data/ --listen-addr=127.0.0.1:$port --debug-addr=- --state-dir=$data --telemetry=disable --log-level=warn &`,
    "fdb=$!",
    "trap 'kill $fdb 2>/dev/null; rm -rf $data' EXIT",
    "until (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do sleep 0.1; done",
    "export NEXT_TELEMETRY_DISABLED=1 CI=true UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy NEXT_PUBLIC_API_URL=http://localhost:8000",
    "export DATABASE_URI=mongodb://127.0.0.1:$port/autoauthor_test",
    job("frontend"),
    "fe=$!",
    job("backend"),
    "be=$!",
    "wait $fe; wait $be",
  ].join("\n");
}

const copy = copyExample();
try {
  const script = join(copy.dir, "..", "by-hand.sh");
  writeFileSync(script, byHandScript(copy.dir));
  const run = (cmd: string) => timed(TSX, [PIPELINE, cmd, "--source", copy.dir]);
  console.log("warm-up run (not measured)…");
  run("fast-tests");
  const m = { fast: 0, hand: 0, frontend: 0, backend: 0 };
  for (let i = 0; i < RUNS; i++) {
    m.fast += run("fast-tests") / RUNS;
    m.hand += timed("bash", [script]) / RUNS;
    m.frontend += run("frontend-checks") / RUNS;
    m.backend += run("backend-tests") / RUNS;
  }
  const slowest = Math.max(m.frontend, m.backend);
  console.log(`runs: ${RUNS}, machine: ${cpus().length} cores`);
  console.log(`fast-tests (host runner):        ${m.fast.toFixed(2)} s`);
  console.log(`same commands by hand, parallel: ${m.hand.toFixed(2)} s`);
  console.log(`frontend-checks alone:           ${m.frontend.toFixed(2)} s`);
  console.log(`backend-tests alone:             ${m.backend.toFixed(2)} s`);
  console.log(`P1 = ${(m.fast / m.hand).toFixed(3)} (goal <= 1.05)`);
  console.log(`P2 = ${(m.fast / slowest).toFixed(3)} (goal <= 1.10)`);
} finally {
  copy.remove();
}
