import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPipeline, type CliResult } from "../../support/cli";

/**
 * Repository code is untrusted: a repository's own `lint` script, run by the host runner as a real process, prints
 * the whole environment it was given. The runner's secrets are in the runner's environment, with values holding
 * quotes, `$`, spaces and newlines; none of them may reach the script.
 */
const SECRETS: Record<string, string> = {
  STAGING_SSH_KEY:
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAstaging "quoted" $HOME `id`\n-----END OPENSSH PRIVATE KEY-----\n',
  PRODUCTION_SSH_KEY: "-----BEGIN OPENSSH PRIVATE KEY-----\nproductionKEYline 'single' $(id)\n-----END-----",
  STAGING_SECRET_DATABASE_URI: 'mongodb://admin:p@ss w"rd$x@db.internal/prod',
  ALERT_WEBHOOK_WARNING: "https://hooks.example.com/services/T000/B000/XXXX\nhttps://second.example.com/hook two",
  GITHUB_TOKEN: "ghp_abcdEFGH1234 $(touch /tmp/pwned) `whoami`",
  SOME_RUNNER_VARIABLE: "runner-only-value-9f8e7d6c",
};

describe("a repository command's environment on the host runner", () => {
  let dir: string;
  let r: CliResult;
  let seen: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "repo-env-"));
    mkdirSync(join(dir, "frontend"));
    mkdirSync(join(dir, "backend"));
    const printEnv = `node -e "console.log('ENV>' + JSON.stringify(process.env))"`;
    writeFileSync(join(dir, "frontend/package.json"), JSON.stringify({ name: "probe", scripts: { lint: printEnv } }));
    writeFileSync(
      join(dir, "pipeline.yaml"),
      "frontend:\n  install: node --version\n  steps:\n    lint: npm run lint\n  env:\n    OWN_JOB_VAR: from-the-plan\n",
    );
    r = await runPipeline(["frontend-checks", "--source", dir, "--report-dir", join(dir, "reports")], {
      ...process.env,
      ...SECRETS,
    });
    const line = r.stdout.split("\n").find((l) => l.includes("ENV>{")) ?? "";
    seen = JSON.parse(line.slice(line.indexOf("ENV>{") + 4) || "{}");
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the script, which prints its environment", () => {
    expect(r.exitCode, r.output).toBe(0);
    expect(Object.keys(seen).length).toBeGreaterThan(0);
  });

  it("gives it PATH, HOME, CI and the job's own env from the plan", () => {
    expect(seen.PATH?.split(":")).toEqual(expect.arrayContaining(process.env.PATH!.split(":")));
    expect(seen.HOME).toBe(process.env.HOME);
    expect(seen.CI).toBe("true");
    expect(seen.OWN_JOB_VAR).toBe("from-the-plan");
  });

  it("gives it none of the runner's secrets or other variables, by name", () => {
    expect(Object.keys(seen).filter((k) => k in SECRETS)).toEqual([]);
  });

  it("lets no line of any secret value into anything the run printed", () => {
    const parts = Object.values(SECRETS).flatMap((v) => [v, ...v.split("\n")].map((s) => s.trim()));
    expect(parts.filter((p) => p.length >= 4 && r.output.includes(p))).toEqual([]);
  });
});
