/**
 * Deploy benchmarks, in one run on a real loopback staging server (sshd, rsync, PM2, nginx, FerretDB):
 *   P5  bytes sent by a one-file-change deploy ÷ a full first deploy   (goal <= 1 %)
 *   P6  rollback to the previous good release, time to healthy       (goal <= 3 s)
 *   P7  failed requests during a deploy and a rollback under load      (goal 0)
 *   deploy wall time of the example app (first and one-file change).
 * Load: two loopback generators at once on nginx's public port (frontend / and backend /api/v1/health),
 * one sending `Connection: close`, one reusing keep-alive connections.
 *   npm run bench:deploy
 */
import { formatLoad, startLoad, type LoadReport } from "../scripts/host/loadGenerator";
import { deployFixture, SHA, type DeployFixture } from "../test/support/deployFixture";

const GOALS = { p5: 0.01, p6: 3, p7: 0 };

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

/** Run `fn` while both generators load nginx; return what each saw. */
async function underBothLoads<T>(
  f: DeployFixture,
  fn: () => Promise<T>,
): Promise<{ result: T; close: LoadReport; keepAlive: LoadReport }> {
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

/** Poll nginx from `start` until it answers 200 from `target`: the rollback's time to healthy, seen from outside. */
async function healthyAt(f: DeployFixture, target: () => string, until: Promise<unknown>): Promise<number> {
  const start = performance.now();
  let done = false;
  void until.finally(() => (done = true));
  for (;;) {
    const t = target();
    if ((await f.serving()) === t) return (performance.now() - start) / 1000;
    if (done && (await f.serving()) !== t) throw new Error(`the rollback ended but nginx does not serve ${t}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function must(ok: boolean, what: string, output: string): void {
  if (!ok) throw new Error(`${what} failed:\n${output}`);
}

async function main(): Promise<number> {
  const f = await deployFixture();
  try {
    const first = await timed(() => f.deploy(f.artifact, SHA));
    must(first.result.exitCode === 0, "first deploy", first.result.output);
    const previous = f.currentId();
    const next = f.variant("one-file", {
      "backend/app/__init__.py": '"""Backend package (bench: one changed file)."""\n',
    });
    const change = await underBothLoads(f, () => timed(() => f.deploy(next, "1111111aaaa")));
    must(change.result.result.exitCode === 0, "one-file deploy", change.result.result.output);
    const rb = await underBothLoads(f, async () => {
      const run = timed(() => f.rollback());
      const [healthy, r] = await Promise.all([healthyAt(f, () => previous, run), run]);
      return { healthy, r };
    });
    if (process.env.BENCH_VERBOSE) console.log(rb.result.r.result.output);
    must(rb.result.r.result.exitCode === 0, "rollback", rb.result.r.result.output);
    const inner = /live and healthy ([\d.]+) s after the lock/.exec(rb.result.r.result.output)?.[1];
    const p5 = bytesSent(change.result.result.output) / bytesSent(first.result.output);
    const p7 = { deploy: change.close.failed, rollback: rb.close.failed };
    const lines = [
      `deploy wall time: first (full) ${first.seconds.toFixed(1)} s, one-file change ${change.result.seconds.toFixed(1)} s (CLI start to exit, prebuilt artifact)`,
      `P5 bytes: one-file ${bytesSent(change.result.result.output)} / full ${bytesSent(first.result.output)} = ${(p5 * 100).toFixed(3)} % (goal <= 1 %): ${p5 <= GOALS.p5 ? "met" : "MISSED"}`,
      `P6 rollback to healthy: ${rb.result.healthy.toFixed(2)} s seen from outside (command start until nginx answers 200 from ${previous}); command wall time ${rb.result.r.seconds.toFixed(2)} s; on the server ${inner ?? "?"} s after the lock (goal <= 3 s): ${rb.result.healthy <= GOALS.p6 ? "met" : "MISSED"}`,
      `P7 failed requests through nginx, Connection: close: deploy ${p7.deploy}, rollback ${p7.rollback} (goal 0): ${p7.deploy + p7.rollback === 0 ? "met" : "MISSED"}`,
      `   with keep-alive connections: deploy ${change.keepAlive.failed}, rollback ${rb.keepAlive.failed} (nginx's reload closes idle kept-alive connections)`,
      "load during the deploy:",
      formatLoad(change.close),
      formatLoad(change.keepAlive),
      "load during the rollback:",
      formatLoad(rb.close),
      formatLoad(rb.keepAlive),
    ];
    console.log(lines.join("\n"));
    return p5 <= GOALS.p5 && rb.result.healthy <= GOALS.p6 && p7.deploy + p7.rollback === 0 ? 0 : 1;
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
