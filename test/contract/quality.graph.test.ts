/**
 * The quality checks on the Dagger path, with the real SDK client and no engine: `fastTests` with sast, secrets and
 * audit turned on must ask for one container per scan, from the scan's pinned image, with its files, its installs and
 * the exact scan command line, run so that any exit code comes back. The recording answers each scan exec with what
 * the real tool printed on the example app here (exit code, stdout, stderr: test/support/qualityOutputs.ts), so the
 * summary's rows are the verdicts the engine's run would give: green as it is, red on the planted findings, one line
 * for unreachable advisory databases, and a failed install named with its exit code.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../ci/src/plan/config/parse";
import { planQualityChecks } from "../../ci/src/plan/quality/checks";
import { withScratch, type Scan } from "../../ci/src/plan/quality/scan";
import { callCi } from "../support/ciCall";
import { copyExample } from "../support/example";
import { shape } from "../support/graph";
import { scanOutput, type ScanCase } from "../support/qualityOutputs";
import { containerCalls, startRecorder, type Chain, type ExecFailure } from "../support/recorder";

const YAML = `quality:
  sast: { enabled: true, allow: ["B104:backend/app/__main__.py"] }
  secrets: { enabled: true }
  audit: { enabled: true, blocking: true }
`;
const SCANS = planQualityChecks(parseConfig(YAML))
  .flatMap((p) => p.scans)
  .map((s) => withScratch(s, "/scratch"));

function lastExec(chain: Chain): string[] | undefined {
  return [...chain].reverse().find((c) => c.field === "withExec")?.args.args as string[] | undefined;
}

const scanOf = (argv: string[] | undefined): Scan | undefined =>
  SCANS.find((s) => argv?.join("\u0000") === s.steps[0].argv.join("\u0000"));

/** fastTests on a copy of the example, each scan answered with its captured output; the summary or the failure. */
async function record(
  cases: (scan: string) => ScanCase,
  failExec?: ExecFailure,
  crash?: { scan: string; exitCode: number; stderr: string },
) {
  const copy = copyExample();
  writeFileSync(join(copy.dir, "pipeline.yaml"), YAML);
  const rec = await startRecorder({
    failExec,
    answer: (field, chain) => {
      const scan = scanOf(lastExec(chain));
      // A scan with a report file (bandit) is read from it: the captured stdout is that file's text.
      const read = field === "contents" && scan?.report ? "stdout" : field;
      if (!scan || !["stdout", "stderr", "exitCode"].includes(read)) return undefined;
      if (scan.name === crash?.scan) return { stdout: "", stderr: crash.stderr, exitCode: crash.exitCode }[read];
      return scanOutput(scan.name, cases(scan.name))[read as "stdout" | "stderr" | "exitCode"];
    },
  });
  const saved = { ...process.env };
  Object.assign(process.env, rec.env);
  let text = "";
  try {
    const { connection, dag } = await import("@dagger.io/dagger");
    await connection(async () => {
      text = await callCi<string>("fastTests", {
        source: dag.host().directory(copy.dir),
        config: "pipeline.yaml",
      }).catch((e: Error) => `threw: ${e.message}`);
    });
  } finally {
    process.env = saved;
    await rec.close();
    copy.remove();
  }
  const containers = rec.chains.filter((ch) => ch.at(-1)?.field === "exitCode").map((ch) => shape(containerCalls(ch)));
  return { text, containers, chains: rec.chains };
}

/** A row of the summary: the check, its status, and its verdict as the detail. */
const row = (check: string, status: string, verdict: string) =>
  new RegExp(`^${check}\\s+${status}\\s.* ${verdict.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m");

describe("fastTests with quality checks (recorded GraphQL requests, the real tools' output)", () => {
  const runs: Record<string, Promise<Awaited<ReturnType<typeof record>>>> = {};
  const run = (name: string, f: () => ReturnType<typeof record>) => (runs[name] ??= f());

  it("asks for each scan's container from its pinned image, with these exact command lines", async () => {
    const { containers } = await run("clean", () => record(() => "clean"));
    const execs = containers.map((c) => [c[0], c.at(-1)]);
    expect(execs).toEqual(
      expect.arrayContaining([
        [
          "from ghcr.io/astral-sh/uv:0.13.9-python3.12-trixie-slim",
          "exec uvx --from bandit==1.9.4 bandit -r . -f json -q --exit-zero -o /scratch/bandit.json -x **/.venv/**,**/tests/**,**/node_modules/**,**/.venv/**,**/.next/**,**/coverage/** (expect ANY)",
        ],
        [
          "from node:20-bookworm-slim",
          "exec node /scratch/eslint-security/node_modules/eslint/bin/eslint.js --config /scratch/eslint-security/eslint.config.mjs --format /scratch/eslint-security/format.mjs . (expect ANY)",
        ],
        [
          "from zricethezav/gitleaks:v8.30.1",
          "exec gitleaks dir --redact --no-banner --ignore-gitleaks-allow --report-format json --report-path - --exit-code 0 . (expect ANY)",
        ],
        ["from node:20-bookworm-slim", "exec npm audit --json --package-lock-only (expect ANY)"],
        [
          "from ghcr.io/astral-sh/uv:0.13.9-python3.12-trixie-slim",
          "exec uvx --from pip-audit==2.10.1 pip-audit -r /scratch/requirements.txt --no-deps --disable-pip -s osv --osv-url https://api.osv.dev/v1/query -f json --progress-spinner off (expect ANY)",
        ],
      ]),
    );
    // The pipeline's gitleaks rules, never a .gitleaks.toml the pull request brings.
    const gitleaks = containers.find((c) => c.at(-1)?.includes("exec gitleaks"))!;
    expect(gitleaks).toContain("env GITLEAKS_CONFIG_TOML=[extend]\nuseDefault = true\n");
    const eslint = containers.find((c) => c.at(-1)?.includes("eslint.js"))!;
    expect(eslint).toContain(
      "exec npm install --no-save --no-audit --no-fund --loglevel=error --prefix /scratch/eslint-security eslint@9.39.5 eslint-plugin-security@4.1.0 @typescript-eslint/parser@8.74.0 typescript@5.9.3",
    );
    for (const f of ["eslint.config.mjs", "format.mjs"])
      expect(eslint).toContain(`new-file /scratch/eslint-security/${f}`);
    const pip = containers.find((c) => c.at(-1)?.includes("pip-audit"))!;
    expect(pip).toContain(
      "exec uv export --frozen --no-hashes --no-emit-project --all-extras --all-groups --format requirements-txt -o /scratch/requirements.txt",
    );
    for (const c of containers.filter((x) => scanOf(x.at(-1)?.slice(5, -" (expect ANY)".length).split(" "))))
      expect(c).toContain("dir /src");
  }, 120_000);

  it("reads bandit's report from its file, never from the exec's stdout (which dagger call prints)", async () => {
    const { chains } = await run("clean", () => record(() => "clean"));
    const bandit = chains.filter((ch) => scanOf(lastExec(ch))?.tool === "bandit");
    const leaves = bandit.map((ch) => ch.at(-1)?.field);
    expect(leaves).not.toContain("stdout");
    const read = bandit.find((ch) => ch.at(-1)?.field === "contents");
    expect(read?.at(-2)).toMatchObject({ field: "file", args: { path: "/scratch/bandit.json" } });
  }, 120_000);

  it("passes every check on the real tools' output for the example as it is", async () => {
    const { text } = await run("clean", () => record(() => "clean"));
    expect(text).toMatch(/^fast-tests: passed$/m);
    expect(text).toMatch(row("sast", "PASSED", "sast: passed, no findings at or above medium (2 below; 1 allowed)"));
    expect(text).toMatch(row("secrets", "PASSED", "secrets: passed, no secrets"));
    expect(text).toMatch(row("audit", "PASSED", "audit: passed, no advisories at or above high"));
  }, 120_000);

  it("fails each check on the real tools' output for the planted findings, naming them", async () => {
    const { text } = await run("planted", () => record(() => "planted"));
    expect(text).toMatch(/^threw: fast-tests: FAILED$/m);
    expect(text).toMatch(
      row(
        "sast",
        "FAILED",
        "sast: FAILED, 2 findings at or above medium: bandit B602 high backend/app/planted.py:5; " +
          "eslint-security security/detect-eval-with-expression high frontend/lib/planted.ts:2 (3 below; 1 allowed)",
      ),
    );
    expect(text).toMatch(
      row(
        "secrets",
        "FAILED",
        "secrets: FAILED, 1 secret: gitleaks github-pat high backend/app/settings_local.py:3; values are never shown",
      ),
    );
    // npm audit and pip-audit exit 1 when they find something: read, not obeyed.
    expect([scanOutput("audit-frontend", "planted").exitCode, scanOutput("audit-backend", "planted").exitCode]).toEqual(
      [1, 1],
    );
    expect(text).toMatch(
      row(
        "audit",
        "FAILED",
        "audit: FAILED, 2 advisories at or above high: npm-audit GHSA-35jh-r3h4-6jhm high frontend/package-lock.json; " +
          "pip-audit PYSEC-2018-28 high backend/uv.lock",
      ),
    );
  }, 120_000);

  it("says in one line that the advisory databases are unreachable, and passes", async () => {
    const { text } = await run("unreachable", () => record((s) => (s.startsWith("audit") ? "unreachable" : "clean")));
    expect(text).toMatch(/^fast-tests: passed$/m);
    expect(text).toMatch(
      /^audit\s+PASSED\s.*audit: passed, no advisories at or above high \(advisory database unreachable: npm audit: request to \S+ failed, reason: connect ECONNREFUSED [\d.:]+; advisory database unreachable: pip-audit: [\d.:]+: Failed to establish a new connection: \[Errno 111\] Connection refused\); not failing for that \(quality\.audit\.failWhenUnreachable: false\)$/m,
    );
  }, 120_000);

  it("fails the check whose tool could not be installed, naming the step and its exit code", async () => {
    const install = SCANS.find((s) => s.name === "sast-frontend")!.install[0];
    const failExec = { argv: install.argv, exitCode: 1, stdout: "", stderr: "npm error code E404" };
    const { text } = await run("install", () => record(() => "clean", failExec));
    expect(text).toMatch(/^threw: fast-tests: FAILED$/m);
    expect(text).toMatch(
      row(
        "sast",
        "FAILED",
        "sast: FAILED, no findings at or above medium (2 below; 1 allowed; eslint-security: install eslint-plugin-security failed (exit 1))",
      ),
    );
  }, 120_000);

  it("fails the check whose tool exited without a report, with its exit code and last error line", async () => {
    const crash = {
      scan: "sast-backend",
      exitCode: 2,
      stderr: "Traceback (most recent call last):\nOSError: [Errno 28]",
    };
    const { text } = await run("crash", () => record(() => "clean", undefined, crash));
    expect(text).toMatch(/^threw: fast-tests: FAILED$/m);
    expect(text).toMatch(
      row(
        "sast",
        "FAILED",
        "sast: FAILED, no findings at or above medium (bandit printed no report (exit 2): OSError: [Errno 28])",
      ),
    );
  }, 120_000);
});
