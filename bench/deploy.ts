/**
 * Deploy benchmarks on a real loopback staging server (sshd, rsync, PM2, nginx, a MongoDB stand-in), over --runs rounds
 * (default 3) of "deploy a one-file change, then roll it back", after one full first deploy:
 *   P5  bytes sent by a one-file-change deploy ÷ the full first deploy              (goal <= 1 %)
 *   P6  rollback, command start until the TARGET release serves both the frontend page and the API health
 *       through nginx (each process reports its release, see support/releaseMarker.ts)  (goal <= 3 s)
 *   P7  failed requests during each deploy and rollback under load                 (goal 0)
 *   deploy wall time (first, and each one-file change).
 * Load: two loopback generators at once on nginx's public port (frontend / and backend /api/v1/health), one
 * sending `Connection: close`, one reusing keep-alive connections. The P6 probe uses new connections.
 *   npm run bench:deploy        (-- --runs 5 for more rounds)
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { formatLoad, startLoad, type LoadReport } from "../scripts/host/loadGenerator";
import { deployFixture, SHA, type DeployFixture } from "../test/support/deployFixture";
import type { CliResult } from "../test/support/cli";
import { markReleases } from "./support/releaseMarker";
import { secondsUntilServed } from "./support/releaseProbe";
import { formatSpread, runsOption, spread } from "./support/stats";

const { values } = parseArgs({ options: { runs: { type: "string" } } });
const RUNS = runsOption(values.runs, 3);
const GOALS = { p5: 0.01, p6: 3, p7: 0 };

interface Round {
  deploySeconds: number;
  bytes: number;
  rollbackHealthy: number;
  rollbackCommand: number;
  /** "live and healthy N s after the lock", as the server-side rollback reported it. */
  rollbackInner: number;
  failed: { deploy: number; rollback: number; deployKeepAlive: number; rollbackKeepAlive: number };
  loads: LoadReport[];
}

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const t = performance.now();
  const result = await fn();
  return { result, seconds: (performance.now() - t) / 1000 };
}

function bytesSent(output: string): number {
  const m = /, (\d+) bytes sent/.exec(output);
  if (!m) throw new Error(`no byte count in the deploy output:\n${output}`);
  return Number(m[1]);
}

function must(r: CliResult, what: string): void {
  if (r.exitCode !== 0) throw new Error(`${what} failed (exit ${r.exitCode}):\n${r.output}`);
}

/** Run `fn` while both generators load nginx; return what each saw. */
async function underBothLoads<T>(f: DeployFixture, fn: () => Promise<T>) {
  const urls = [`http://127.0.0.1:${f.s.publicPort}/`, `http://127.0.0.1:${f.s.publicPort}/api/v1/health`];
  const close = startLoad({ urls, keepAlive: false, concurrency: 1, pauseMs: 5, maxSeconds: 300 });
  const keep = startLoad({ urls, keepAlive: true, concurrency: 1, pauseMs: 5, maxSeconds: 300 });
  try {
    const result = await fn();
    return { result, close: await close.stop(), keepAlive: await keep.stop() };
  } finally {
    await Promise.all([close.stop(), keep.stop()]);
  }
}

/** Deploy a one-file change of the current release, then roll it back to the current one, both under load. */
async function round(f: DeployFixture, i: number): Promise<Round> {
  const target = f.currentId();
  const next = f.variant(`one-file-${i}`, {
    "backend/app/__init__.py": `"""Backend package (bench: one changed file, round ${i})."""\n`,
  });
  const dep = await underBothLoads(f, () => timed(() => f.deploy(next, `${String(i % 10).repeat(7)}aaaa`)));
  must(dep.result.result, `round ${i}: one-file deploy`);
  const origin = `http://127.0.0.1:${f.s.publicPort}`;
  const rb = await underBothLoads(f, async () => {
    const run = timed(() => f.rollback());
    const [healthy, r] = await Promise.all([secondsUntilServed(origin, () => target, run), run]);
    return { healthy, r };
  });
  must(rb.result.r.result, `round ${i}: rollback`);
  if (process.env.BENCH_VERBOSE) console.log(rb.result.r.result.output);
  const inner = /live and healthy ([\d.]+) s after the lock/.exec(rb.result.r.result.output)?.[1];
  return {
    deploySeconds: dep.result.seconds,
    bytes: bytesSent(dep.result.result.output),
    rollbackHealthy: rb.result.healthy,
    rollbackCommand: rb.result.r.seconds,
    rollbackInner: inner === undefined ? NaN : Number(inner),
    failed: {
      deploy: dep.close.failed,
      rollback: rb.close.failed,
      deployKeepAlive: dep.keepAlive.failed,
      rollbackKeepAlive: rb.keepAlive.failed,
    },
    loads: [dep.close, dep.keepAlive, rb.close, rb.keepAlive],
  };
}

function report(first: { seconds: number; bytes: number }, rs: Round[]): void {
  const s = (pick: (r: Round) => number, what: string) => spread(rs.map(pick), what);
  const p5 = s((r) => (100 * r.bytes) / first.bytes, "P5");
  const p6 = s((r) => r.rollbackHealthy, "P6");
  const p7 = rs.reduce((n, r) => n + r.failed.deploy + r.failed.rollback, 0);
  const p7k = rs.reduce((n, r) => n + r.failed.deployKeepAlive + r.failed.rollbackKeepAlive, 0);
  console.log(`rounds: ${rs.length}, machine: ${cpus().length} cores, load average now ${loadavg()[0].toFixed(2)}`);
  console.log(
    `deploy wall time, first (full, prebuilt artifact): ${first.seconds.toFixed(1)} s, ${first.bytes} bytes sent`,
  );
  console.log(
    formatSpread(
      "deploy wall time, one-file change",
      s((r) => r.deploySeconds, "deploy"),
    ),
  );
  console.log(formatSpread("P5 bytes one-file ÷ full, % (goal <= 1)", p5, "%", 3));
  console.log(formatSpread("P6 rollback → target serves both (<= 3)", p6));
  console.log(
    formatSpread(
      "   rollback command wall time",
      s((r) => r.rollbackCommand, "rollback"),
    ),
  );
  console.log(
    formatSpread(
      "   on the server, after the lock",
      s((r) => r.rollbackInner, "inner"),
    ),
  );
  console.log(`P7 failed requests through nginx, Connection: close, all deploys and rollbacks: ${p7} (goal 0)`);
  console.log(`   with keep-alive connections: ${p7k} (nginx's reload closes idle kept-alive connections)`);
  rs.forEach((r, i) =>
    console.log(
      `round ${i + 1} load (deploy close, keep-alive; rollback close, keep-alive):\n${r.loads.map(formatLoad).join("\n")}`,
    ),
  );
  const met = (ok: boolean) => (ok ? "met" : "MISSED");
  console.log(
    `goals by the median: P5 ${met(p5.median <= 100 * GOALS.p5)}, P6 ${met(p6.median <= GOALS.p6)}; P7 ${met(p7 === GOALS.p7)}`,
  );
}

async function main(): Promise<number> {
  const f = await deployFixture();
  try {
    markReleases(f.artifact);
    const first = await timed(() => f.deploy(f.artifact, SHA));
    must(first.result, "first deploy");
    const rounds: Round[] = [];
    for (let i = 1; i <= RUNS; i++) {
      rounds.push(await round(f, i));
      const r = rounds[i - 1];
      console.log(
        `  round ${i}: deploy ${r.deploySeconds.toFixed(1)} s, rollback healthy ${r.rollbackHealthy.toFixed(2)} s`,
      );
    }
    report({ seconds: first.seconds, bytes: bytesSent(first.result.output) }, rounds);
    return 0;
  } finally {
    await f.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e: Error) => {
    console.error(e.message);
    process.exitCode = 1;
  },
);
