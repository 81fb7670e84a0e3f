import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatLogEntry } from "../../../ci/src/plan/deploy/releaseLog";
import { runPipeline } from "../../support/cli";
import { e2eRuns, productionLog, stagingLog } from "../../support/metricsHistory";
import { METRICS_LOG_MAX_BYTES, METRICS_READ } from "../../../scripts/host/metrics";

const ROOT = resolve(import.meta.dirname, "../../..");

/** `npm run pipeline -- metrics` on a generated history (test/support/metricsHistory.ts) written to files. */
describe("metrics host command", () => {
  let dir: string;
  const args = () => [
    "metrics",
    "--release-log",
    join(dir, "staging.jsonl"),
    "--release-log",
    join(dir, "production.jsonl"),
    "--e2e-records",
    join(dir, "e2e"),
    "--since",
    "2026-11-01",
    "--until",
    "2026-11-10",
  ];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "metrics-"));
    writeFileSync(join(dir, "staging.jsonl"), stagingLog().map(formatLogEntry).join("") + "torn {\n");
    writeFileSync(join(dir, "production.jsonl"), productionLog().map(formatLogEntry).join(""));
    mkdirSync(join(dir, "e2e"));
    for (const r of e2eRuns()) writeFileSync(join(dir, "e2e", `${r.commit}.json`), JSON.stringify(r));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the success-metrics table for the period and writes a self-contained HTML page", async () => {
    const html = join(dir, "out/metrics.html");
    const r = await runPipeline([...args(), "--html", html]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toContain("success metrics, 2026-11-01 .. 2026-11-10");
    expect(r.stdout).toMatch(/deployment success rate +84\.6 % +≥ 95\.0 % +missed/);
    expect(r.stdout).toMatch(/change failure rate +16\.7 % +≤ 15\.0 % +missed/);
    expect(r.stdout).toMatch(/MTTR +12\.5 min +≤ 15\.0 min +ok/);
    expect(r.stdout).toMatch(/rollback count +2 +≤ 2 +ok/);
    expect(r.stdout).toMatch(/E2E pass rate +90\.0 % .*missed/);
    expect(r.stdout).toMatch(/E2E flaky rate +1\.5 % .*ok/);
    expect(r.stdout).toMatch(/GitHub minutes per deployment +11\.1 min .*ok/);
    expect(existsSync(html)).toBe(true);
    const page = readFileSync(html, "utf8");
    expect(page.match(/<svg /g)).toHaveLength(3);
    expect(page).not.toMatch(/<script|src=|href=/);
  }, 120_000);

  it("skips log lines whose fields are not what a deploy writes (no time, a number for time, seconds as text)", async () => {
    // A hand-edited or foreign releases.jsonl: each line parses as JSON and has a release id and a status.
    const id = "20261105T100000Z-eeeeeee";
    const odd = [
      { id, status: "deployed", commit: "e".repeat(40) },
      { id, status: "deployed", commit: "e".repeat(40), time: 5 },
      { id, status: "failed", commit: "e".repeat(40), time: "2026-11-05T10:00:00Z", seconds: "90" },
      { id, status: "bad", commit: "e".repeat(40), time: "not a time" },
    ];
    const log = join(dir, "odd.jsonl");
    writeFileSync(log, stagingLog().map(formatLogEntry).join("") + odd.map((e) => `${JSON.stringify(e)}\n`).join(""));
    const r = await runPipeline([
      ...args().slice(0, 1),
      "--release-log",
      log,
      ...args().slice(5),
      "--html",
      join(dir, "odd.html"),
    ]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toContain("success metrics, 2026-11-01 .. 2026-11-10");
    expect(readFileSync(join(dir, "odd.html"), "utf8")).not.toMatch(/NaN|undefined/);
  }, 120_000);

  it("refuses a period that is not a date, saying the format (exit 2)", async () => {
    const r = await runPipeline([...args().slice(0, -4), "--since", "last week"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--since "last week" is not a date; pass YYYY-MM-DD/);
  }, 120_000);
});

describe("metrics --e2e-records holding what is not a record file", () => {
  it("skips a FIFO and a folder named *.json, as the reader over SSH does ([ -f ]), instead of blocking or crashing", () => {
    const dir = mkdtempSync(join(tmpdir(), "metrics-special-"));
    try {
      writeFileSync(join(dir, "staging.jsonl"), stagingLog().map(formatLogEntry).join(""));
      mkdirSync(join(dir, "e2e"));
      for (const r of e2eRuns()) writeFileSync(join(dir, "e2e", `${r.commit}.json`), JSON.stringify(r));
      execFileSync("mkfifo", [join(dir, "e2e", "fifo.json")]);
      mkdirSync(join(dir, "e2e", "folder.json"));
      // A record of gigabytes (sparse): read whole, ERR_FS_FILE_TOO_LARGE with a stack trace (h15e2e).
      writeFileSync(join(dir, "e2e", "huge.json"), "");
      truncateSync(join(dir, "e2e", "huge.json"), 3 * 1024 * 1024 * 1024);
      const r = spawnSync(
        process.execPath,
        [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "scripts/pipeline.ts"), "metrics"].concat(
          ["--release-log", join(dir, "staging.jsonl"), "--e2e-records", join(dir, "e2e")],
          ["--since", "2026-11-01", "--until", "2026-11-10"],
        ),
        { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
      );
      expect(r.error?.message, "blocked on the FIFO until killed").toBeUndefined();
      expect(r.stderr).not.toMatch(/EISDIR|ERR_FS_FILE_TOO_LARGE|at readFileSync/);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/E2E pass rate +90\.0 %/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

/**
 * `metrics` reading the targets' `.dep/` over SSH (no --release-log). The tenth hostile run found it asked a read for
 * the app's STAGING_SECRET_DATABASE_URI (exit 2, "is not set"), and, given one, read a server that did not answer as an
 * empty history: exit 0 with "no data" and "rollback count 0 ok".
 */
describe("metrics over SSH", () => {
  it("needs no app secret, and a server it cannot read is exit 1 naming the connection check, not an empty history", async () => {
    const dir = mkdtempSync(join(tmpdir(), "metrics-ssh-"));
    try {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "key")]);
      const port = await closedPort();
      const r = await runPipeline(["metrics"], {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TMPDIR: tmpdir(),
        STAGING_SERVER_DIR: dir,
        STAGING_SSH_HOST: "127.0.0.1",
        STAGING_SSH_PORT: String(port),
        STAGING_SSH_USER: "deploy",
        STAGING_DEPLOY_PATH: "/srv/app",
        STAGING_SSH_KEY_FILE: join(dir, "key"),
        STAGING_KNOWN_HOSTS: `[127.0.0.1]:${port} ${readFileSync(join(dir, "key.pub"), "utf8").trim()}`,
      });
      expect(r.stderr).not.toMatch(/DATABASE_URI/);
      expect(r.stdout).not.toMatch(/no data/);
      expect(r.stderr).toMatch(
        /reading the release log .*127\.0\.0\.1.* failed \(exit 255\).*Check the connection: ssh -i /,
      );
      expect(r.exitCode).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/**
 * What metrics reads in a server's base over ssh, run here in a base of its own (h15e2e): a 4 GiB record on staging
 * (by hand, or a key that writes staging) was read whole, 42 s and 4.9 GB before a RangeError stack trace.
 */
describe("metrics' read of a server's .dep", () => {
  it("reads each E2E record to one byte past a record's bound and the release log's newest part, regular files only", () => {
    const base = mkdtempSync(join(tmpdir(), "metrics-read-"));
    try {
      mkdirSync(join(base, ".dep/e2e"), { recursive: true });
      const [run] = e2eRuns();
      writeFileSync(join(base, ".dep/e2e", `${run.commit}.json`), JSON.stringify(run));
      writeFileSync(join(base, ".dep/e2e/huge.json"), "");
      truncateSync(join(base, ".dep/e2e/huge.json"), 512 * 1024 * 1024);
      execFileSync("mkfifo", [join(base, ".dep/e2e/fifo.json")]);
      writeFileSync(join(base, ".dep/releases.jsonl"), "");
      truncateSync(join(base, ".dep/releases.jsonl"), METRICS_LOG_MAX_BYTES + 1024 * 1024);
      const r = spawnSync("sh", ["-c", METRICS_READ], { cwd: base, timeout: 30_000, maxBuffer: 256 * 1024 * 1024 });
      expect(r.error?.message).toBeUndefined();
      expect(r.status).toBe(0);
      expect(r.stdout.length).toBeLessThanOrEqual(METRICS_LOG_MAX_BYTES + 2 * (64 * 1024 + 1) + 100);
      expect(r.stdout.toString("latin1")).toContain(JSON.stringify(run));
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
