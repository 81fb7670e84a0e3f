import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { $ } from "zx";
import { isAllowedRunnerVariable } from "../../../ci/src/plan/env";
import { startStagingServer, stopStagingServer, type StagingServer } from "../../../scripts/host/staging/server";
import { runPipeline } from "../../support/cli";
import { ROOT } from "../../support/example";
import { tinyRepo, type TinyRepo } from "../../support/tinyRelease";

/**
 * The server-side deploy tasks run repository code (deploy.migrate, `uv sync`, the app under PM2): a tiny repository
 * whose migration and apps write their whole environment to files is deployed for real to the loopback staging server,
 * once through the host runner (over SSH) and once by scripts/serverDeploy.ts on the server itself, from a runner
 * environment full of secrets. Each process must see only the allow-listed variables and the app's own env.
 */
describe("the environment of repository code on the server", () => {
  let root: string;
  let s: StagingServer;
  let repo: TinyRepo;
  let runner: NodeJS.ProcessEnv;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "server-env-"));
    s = await startStagingServer(join(root, "staging"));
    repo = tinyRepo(root);
    secrets = {
      STAGING_SSH_KEY: readFileSync(s.keyFile, "utf8"),
      GITHUB_TOKEN: `ghp_"quoted" $HOME and 'single'\nsecond line`,
      PRODUCTION_SSH_KEY: "-----BEGIN OPENSSH PRIVATE KEY-----\nprod $(id) `id`\n-----END OPENSSH PRIVATE KEY-----",
      ALERT_WEBHOOK_CRITICAL: 'http://127.0.0.1:9/hook?t="a b"&k=$x',
      AWS_SECRET_ACCESS_KEY: "aws secret with spaces \\ and \\n",
    };
    runner = {
      ...process.env,
      ...secrets,
      STAGING_SERVER_DIR: s.dir,
      STAGING_SECRET_DATABASE_URI: `mongodb://127.0.0.1:${s.mongoPort}/tiny`,
      HTTPS_PROXY: "http://127.0.0.1:9",
      no_proxy: "127.0.0.1,localhost",
    };
  }, 60_000);
  afterAll(async () => {
    if (s) await stopStagingServer(s.dir);
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  /** The dumps written since `before`, by file name. */
  function dumps(before: string[] = []): Record<string, Record<string, string>> {
    const files = readdirSync(repo.dumpDir).filter((f) => !before.includes(f));
    return Object.fromEntries(files.map((f) => [f, JSON.parse(readFileSync(join(repo.dumpDir, f), "utf8"))]));
  }

  /** Variables neither allow-listed nor the app's own, nor set by bash or PM2 for the process itself. */
  function unexpected(env: Record<string, string>): string[] {
    const own = ["DATABASE_URI", "RELEASE_ID", "ENV_DUMP", "PORT", "PWD", "OLDPWD", "SHLVL", "_"];
    const deploy = ["DEPLOY_BASE", "DEPLOY_RELEASE", "DEPLOY_SLOT", "UV_PYTHON_DOWNLOADS"];
    const pm2 = (k: string) => /^[a-z]/.test(k) || k.startsWith("PM2_") || k === "NODE_APP_INSTANCE";
    return Object.keys(env).filter((k) => !isAllowedRunnerVariable(k) && ![...own, ...deploy].includes(k) && !pm2(k));
  }

  function expectNoSecret(all: Record<string, Record<string, string>>): void {
    const text = JSON.stringify(all);
    for (const [name, value] of Object.entries(secrets)) {
      expect(text, name).not.toContain(name);
      for (const line of value.split("\n").filter(Boolean))
        expect(text, `a line of ${name}`).not.toContain(JSON.stringify(line).slice(1, -1));
    }
  }

  it("gives the migration and the apps, deployed over SSH, only the allow-list and the app's env", async () => {
    const r = await runPipeline(
      ["deploy-staging", "--artifact", repo.artifact, "--commit", "1111111aaaa", "--source", repo.source],
      runner,
    );
    expect(r.exitCode, r.output).toBe(0);
    const all = dumps();
    const migrate = Object.entries(all).filter(([f]) => f.startsWith("migrate-"));
    expect(migrate).toHaveLength(1);
    expect(Object.keys(all).filter((f) => f.startsWith("app-"))).toHaveLength(2);
    expect(migrate[0][1]).toMatchObject({ DATABASE_URI: runner.STAGING_SECRET_DATABASE_URI });
    for (const [f, env] of Object.entries(all)) expect(unexpected(env), f).toEqual([]);
    expectNoSecret(all);
  }, 240_000);

  it("gives the apps started by serverDeploy.ts on the server itself none of its caller's secrets", async () => {
    const before = readdirSync(repo.dumpDir);
    const r = await $({ cwd: ROOT, env: runner, quiet: true, nothrow: true })`${join(ROOT, "node_modules/.bin/tsx")} ${[
      join(ROOT, "scripts/serverDeploy.ts"),
      ...["--base", s.base, "--artifact", repo.artifact, "--commit", "2222222bbbb"],
    ]}`;
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const all = dumps(before);
    expect(Object.keys(all)).toHaveLength(2);
    for (const [f, env] of Object.entries(all)) {
      expect(unexpected(env), f).toEqual([]);
      // Proxies are not secrets, and a server behind a corporate proxy needs them to reach its registries.
      expect(env, f).toMatchObject({ HTTPS_PROXY: "http://127.0.0.1:9", no_proxy: "127.0.0.1,localhost" });
    }
    expectNoSecret(all);
  }, 240_000);
});
