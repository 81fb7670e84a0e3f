/**
 * The quality checks on the example app with the real tools (bandit and pip-audit from PyPI through uvx, ESLint with
 * eslint-plugin-security from npm, gitleaks from .tools/bin, npm audit): red on one planted finding of each kind in a
 * temp copy, green without it. The advisory databases are a loopback stand-in (test/support/advisories.ts) or a closed
 * port, since this machine reaches neither the npm bulk endpoint nor OSV.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qualityChecksFlow, qualityChecksFor } from "../../../ci/src/flow/quality";
import { parseConfig } from "../../../ci/src/plan/config/parse";
import { planBanditScan } from "../../../ci/src/plan/quality/sast";
import type { Scan } from "../../../ci/src/plan/quality/scan";
import type { QualityResult } from "../../../ci/src/plan/quality/verdict";
import { runScan, saveQualityReport } from "../../../scripts/host/quality";
import { runnerEnv } from "../../../scripts/host/stage";
import { startAdvisories } from "../../support/advisories";
import { plantSastFindings, plantVulnerableLocks } from "../../support/plants";
import { copyExample } from "../../support/example";

const copies: { remove(): void }[] = [];
afterAll(() => copies.forEach((c) => c.remove()));

function example(): string {
  const copy = copyExample();
  copies.push(copy);
  return copy.dir;
}

/** Run the checks pipeline.yaml turns on over `dir` as the host runner does; the results, the log and the reports. */
async function check(dir: string, yaml: string, range?: { base: string; head: string }) {
  const c = parseConfig(yaml);
  const log = new PassThrough();
  let text = "";
  log.on("data", (d: Buffer) => (text += d.toString()));
  const reports = join(dir, "..", "reports");
  const trigger = range
    ? {
        prefix: "",
        event: "pull_request",
        resolution: { kind: "diff" as const, ...range, how: "", changedPaths: [], warnings: [] },
      }
    : { prefix: "" };
  let i = 0;
  const out = await qualityChecksFlow(qualityChecksFor(c, trigger), c, {
    runScan: (scan) => runScan(scan, { sourceDir: dir, env: runnerEnv(), out: log, index: i++ }),
    saveQualityReport: async (name, json) => saveQualityReport(reports, name, json),
  });
  const report = out.reports.map((r) => readFileSync(r.replace(/^report: /, ""), "utf8")).join("\n");
  return { result: out.results[0], log: text, report };
}

const verdictOf = (r: QualityResult) => r.verdict;

describe("sast on the example app", () => {
  const yaml = "quality:\n  sast:\n    enabled: true\n    allow: ['B104:backend/app/__main__.py']\n";

  it("is green on the app as it is (its one medium finding allowed), and leaves the repository's ESLint config alone", async () => {
    const dir = example();
    const eslintConfig = readFileSync(join(dir, "frontend/eslint.config.mjs"), "utf8");
    const { result } = await check(dir, yaml);
    expect(result.status, verdictOf(result)).toBe("passed");
    expect(result.verdict).toMatch(/^sast: passed, no findings at or above medium \(2 below; 1 allowed\)$/);
    expect(readFileSync(join(dir, "frontend/eslint.config.mjs"), "utf8")).toBe(eslintConfig);
  }, 240_000);

  it("is red on a planted shell=True in the backend and an eval in the frontend, naming both", async () => {
    const dir = example();
    plantSastFindings(dir);
    const { result, report } = await check(dir, yaml);
    expect(result.status).toBe("failed");
    expect(result.verdict).toContain("bandit B602 high backend/app/planted.py:5");
    expect(result.verdict).toContain(
      "eslint-security security/detect-eval-with-expression high frontend/lib/planted.ts:2",
    );
    expect(JSON.parse(report).over).toHaveLength(2);
  }, 240_000);
});

describe("secrets on the example app", () => {
  // Made here, so no committed file holds anything a scanner (or GitHub's push protection) would flag.
  const token = `ghp_${randomBytes(27).toString("base64url").replace(/[-_]/g, "x").slice(0, 36)}`;
  const plant = (dir: string) =>
    writeFileSync(join(dir, "backend/app/settings_local.py"), `"""Local settings."""\n\nGITHUB_TOKEN = "${token}"\n`);
  const yaml = "quality:\n  secrets:\n    enabled: true\n";

  it("is green on the whole tree as it is", async () => {
    const { result } = await check(example(), yaml);
    expect(result.status, verdictOf(result)).toBe("passed");
    expect(result.verdict).toBe("secrets: passed, no secrets");
  }, 120_000);

  it("blocks on a planted token, naming file, line and rule, and never its value anywhere", async () => {
    const dir = example();
    plant(dir);
    const { result, log, report } = await check(dir, yaml);
    expect(result.status).toBe("failed");
    expect(result.verdict).toContain("gitleaks github-pat high backend/app/settings_local.py:3");
    for (const text of [result.verdict, log, report, JSON.stringify(result)]) expect(text).not.toContain(token);
    expect(log + report).not.toContain(token.slice(4, 20));
  }, 120_000);

  it.each([
    ["an empty .gitleaks.toml (no rules at all)", ".gitleaks.toml", ""],
    [
      "a .gitleaks.toml allowing every path",
      ".gitleaks.toml",
      "[extend]\nuseDefault = true\n[allowlist]\npaths = ['''.*''']\n",
    ],
    ["a gitleaks:allow comment on the line", "", ""],
  ])(
    "stays red when the repository brings %s: the scan runs the pipeline's rules",
    async (_, file, text) => {
      const dir = example();
      plant(dir);
      if (file) writeFileSync(join(dir, file), text);
      else writeFileSync(join(dir, "backend/app/settings_local.py"), `GITHUB_TOKEN = "${token}"  # gitleaks:allow\n`);
      const { result } = await check(dir, yaml);
      expect(result.status, result.verdict).toBe("failed");
      expect(result.verdict).toContain("gitleaks github-pat high backend/app/settings_local.py:");
    },
    120_000,
  );

  it("reads a pull request's commits only: the one that adds the token is red, a clean range green", async () => {
    const dir = example();
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();
    git("init", "-q");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "chore: base");
    git("add", "-A");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "feat: the app");
    const clean = git("rev-parse", "HEAD");
    plant(dir);
    git("add", "-A");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "feat: settings");
    const head = git("rev-parse", "HEAD");
    const red = await check(dir, yaml, { base: clean, head });
    expect(red.result.status).toBe("failed");
    expect(red.result.verdict).toMatch(/backend\/app\/settings_local\.py:3 .*commit [0-9a-f]{12}|settings_local\.py:3/);
    for (const text of [red.result.verdict, red.log, red.report]) expect(text).not.toContain(token);
    const base = git("rev-parse", "HEAD~2");
    const green = await check(dir, yaml, { base, head: clean });
    expect(green.result.status, green.result.verdict).toBe("passed");
  }, 120_000);
});

describe("audit on the example app", () => {
  let db: Awaited<ReturnType<typeof startAdvisories>>;
  beforeAll(async () => {
    db = await startAdvisories();
  });
  afterAll(() => db.close());
  const yaml = (extra: string) =>
    `quality:\n  audit:\n    enabled: true\n    blocking: true\n    npmRegistry: "${db.npmRegistry}"\n    osvUrl: "${db.osvUrl}"\n${extra}`;

  it("is green on the app's own lockfiles", async () => {
    const { result } = await check(example(), yaml(""));
    expect(result.status, verdictOf(result)).toBe("passed");
    expect(result.verdict).toBe("audit: passed, no advisories at or above high");
  }, 240_000);

  it("is red on a planted vulnerable dependency in each lockfile, naming the advisories", async () => {
    const dir = example();
    plantVulnerableLocks(dir);
    const { result } = await check(dir, yaml(""));
    expect(result.status).toBe("failed");
    expect(result.verdict).toContain("npm-audit GHSA-35jh-r3h4-6jhm high frontend/package-lock.json");
    expect(result.verdict).toContain("pip-audit PYSEC-2018-28 high backend/uv.lock");
  }, 240_000);

  it("allows an advisory by an alias", async () => {
    const dir = example();
    plantVulnerableLocks(dir);
    const { result } = await check(dir, yaml("    allow: [GHSA-35jh-r3h4-6jhm, CVE-2018-18074]\n"));
    expect(result.status, verdictOf(result)).toBe("passed");
    expect(result.verdict).toContain("2 allowed");
  }, 240_000);

  it("says in one line that the databases are unreachable and passes, unless failWhenUnreachable", async () => {
    const closed = await closedPort();
    const dir = example();
    plantVulnerableLocks(dir);
    const c = (extra: string) =>
      `quality:\n  audit:\n    enabled: true\n    blocking: true\n    npmRegistry: "http://127.0.0.1:${closed}/"\n    osvUrl: "http://127.0.0.1:${closed}/v1/query"\n${extra}`;
    const { result } = await check(dir, c(""));
    expect(result.status, verdictOf(result)).toBe("passed");
    expect(result.verdict.split("\n")).toHaveLength(1);
    expect(result.verdict).toMatch(/advisory database unreachable: npm audit: .*ECONNREFUSED/);
    expect(result.verdict).toMatch(/advisory database unreachable: pip-audit: .*Connection refused/);
    expect(result.verdict).toContain("not failing for that (quality.audit.failWhenUnreachable: false)");
    const strict = await check(dir, c("    failWhenUnreachable: true\n"));
    expect(strict.result.status).toBe("failed");
  }, 240_000);
});

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

/**
 * The scan's report file lies in its scratch folder, in the temp dir every repository command of the run (and of its
 * cache scope) can write: bandit opens it at start, so a test running beside the scan (a conftest.py polling the temp
 * dir for `sast-backend-*`) swaps the name for a FIFO or a link while bandit works (the fourteenth hostile run). The
 * runner reads it outside the sandbox: never through a link, never blocking.
 */
describe("the scan's report file, as repository code left it", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "quality-report-"));
    mkdirSync(join(dir, "backend"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** bandit's scan with its tool replaced by `script` (sh, `$1` the report's path), as the runner fills it. */
  const planted = (script: string): Scan => {
    const scan = planBanditScan(parseConfig("quality:\n  sast:\n    enabled: true\n"));
    return { ...scan, steps: [{ name: "bandit", argv: ["sh", "-c", script, "sh", scan.report!] }] };
  };

  it("does not read the runner's file through a link put in its place", async () => {
    const secret = join(dir, "runner-only.json");
    const canary = `canary-${randomBytes(6).toString("hex")}`;
    writeFileSync(
      secret,
      JSON.stringify({
        results: [{ test_id: canary, issue_severity: "HIGH", filename: "./x.py", line_number: 1, issue_text: canary }],
      }),
      { mode: 0o600 },
    );
    const out = await runScan(planted(`rm -f "$1"; ln -s ${secret} "$1"`), {
      sourceDir: dir,
      env: runnerEnv(),
      out: new PassThrough(),
      index: 0,
    });
    expect(out.stdout).not.toContain(canary);
    expect(out.stdout).toBe("");
  });

  it("does not block on a FIFO put in its place", () => {
    // In a child: a read that blocks would hold this worker's event loop, and with it any timeout.
    const driver = join(dir, "fifo.mts");
    writeFileSync(
      driver,
      [
        `import { PassThrough } from "node:stream";`,
        `import { planBanditScan } from ${JSON.stringify(join(import.meta.dirname, "../../../ci/src/plan/quality/sast.ts"))};`,
        `import { parseConfig } from ${JSON.stringify(join(import.meta.dirname, "../../../ci/src/plan/config/parse.ts"))};`,
        `import { runScan } from ${JSON.stringify(join(import.meta.dirname, "../../../scripts/host/quality.ts"))};`,
        `const scan = planBanditScan(parseConfig("quality:\\n  sast:\\n    enabled: true\\n"));`,
        `const s = { ...scan, steps: [{ name: "bandit", argv: ["sh", "-c", 'rm -f "$1"; mkfifo "$1"', "sh", scan.report] }] };`,
        `const out = await runScan(s, { sourceDir: ${JSON.stringify(dir)}, env: process.env, out: new PassThrough(), index: 0 });`,
        `console.log(JSON.stringify(out.stdout));`,
      ].join("\n"),
    );
    const r = spawnSync(process.execPath, ["--import", "tsx", driver], { encoding: "utf8", timeout: 60_000 });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.stdout.trim()).toBe('""');
  }, 90_000);
});
