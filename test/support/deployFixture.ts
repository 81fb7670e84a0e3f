/**
 * One real loopback staging server (sshd, nginx, PM2 with its own PM2_HOME, a MongoDB stand-in) and the
 * example app built once, for a deploy test file. Optionally DEPLOY_BASE is a small tmpfs, so a
 * test can fill the disk for real. `close()` stops every process and unmounts.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { $ } from "zx";
import { assembleArtifact } from "../../scripts/host/artifact";
import { startLoad, type LoadReport } from "../../scripts/host/loadGenerator";
import { startStagingServer, stopStagingServer, type StagingServer } from "../../scripts/host/staging/server";
import { runPipeline, type CliResult } from "./cli";
import { copyExample, EXAMPLE } from "./example";

export const SHA = "3520442e4dc3c5bc938a31806b1e6a4d20cd12bc";

export interface DeployFixture {
  s: StagingServer;
  root: string;
  artifact: string;
  appDir: string;
  /** True when DEPLOY_BASE is a tmpfs this fixture mounted. */
  tmpfs: boolean;
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  deploy(artifact: string, commit?: string, extra?: NodeJS.ProcessEnv, args?: string[]): Promise<CliResult>;
  rollback(args?: string[], extra?: NodeJS.ProcessEnv): Promise<CliResult>;
  releases(): string[];
  currentId(): string;
  locked(): boolean;
  /** The release nginx serves (X-Release of a 200 from /api/v1/health), or "" when unhealthy. */
  serving(): Promise<string>;
  /** A copy of the artifact with some files replaced or added, and no REVISION (deploy() writes its commit). */
  variant(name: string, files: Record<string, string | Buffer>): string;
  /** Run `fn` under load on nginx's frontend root and backend health (Connection: close unless keepAlive). */
  underLoad<T>(fn: () => Promise<T>, keepAlive?: boolean): Promise<{ result: T; load: LoadReport }>;
  close(): Promise<void>;
}

/**
 * One fixture for the calling describe, with one good release deployed and serving (its id `good`), closed after the
 * describe: where the interrupted-deploy tests start. Read it with the returned getter from a hook or a test.
 */
export function withDeployedFixture(closeTimeout = 120_000): () => { f: DeployFixture; good: string } {
  let state: { f: DeployFixture; good: string } | undefined;
  beforeAll(async () => {
    const f = await deployFixture();
    state = { f, good: "" };
    const first = await f.deploy(f.artifact, SHA);
    expect(first.exitCode, first.output).toBe(0);
    state.good = f.currentId();
  }, 300_000);
  afterAll(async () => {
    await state?.f.close();
  }, closeTimeout);
  return () => state!;
}

/** Start the staging server (DEPLOY_BASE on a tmpfs when asked and possible), build the example once. */
export async function deployFixture(opts: { tmpfsBase?: boolean } = {}): Promise<DeployFixture> {
  const root = mkdtempSync(join(tmpdir(), "deploy-fx-"));
  const base = join(root, "staging/base");
  mkdirSync(base, { recursive: true });
  const tmpfs =
    !!opts.tmpfsBase &&
    (await $({ quiet: true, nothrow: true })`mount -t tmpfs -o size=1g deploy-fx ${base}`).exitCode === 0;
  const s = await startStagingServer(join(root, "staging"));
  const app = copyExample();
  try {
    await $({
      quiet: true,
    })`cp -al ${join(EXAMPLE, "frontend/node_modules")} ${join(app.dir, "frontend/node_modules")}`;
    // The watch window is off here; test/integration/host/deploy.watch.test.ts turns it on.
    writeFileSync(
      join(app.dir, "pipeline.yaml"),
      "deploy:\n  health: { attempts: 6, intervalSeconds: 1 }\n  watch: { windowSeconds: 0 }\n",
    );
    const buildEnv = {
      ...process.env,
      NEXT_PUBLIC_API_URL: `http://127.0.0.1:${s.publicPort}`,
      NEXT_TELEMETRY_DISABLED: "1",
    };
    await $({ cwd: join(app.dir, "frontend"), quiet: true, env: buildEnv })`npm run build`;
    const artifact = assembleArtifact(app.dir, join(root, "artifact"), SHA);
    return fixture(s, root, artifact, app, tmpfs);
  } catch (e) {
    // No fixture reaches afterAll when set-up fails: stop what was started here, then fail.
    await stopStagingServer(s.dir);
    app.remove();
    if (tmpfs) await $({ quiet: true, nothrow: true })`umount ${base}`;
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

function fixture(
  s: StagingServer,
  root: string,
  artifact: string,
  app: { dir: string; remove(): void },
  tmpfs: boolean,
): DeployFixture {
  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    ...process.env,
    STAGING_SERVER_DIR: s.dir,
    STAGING_SECRET_DATABASE_URI: `mongodb://127.0.0.1:${s.mongoPort}/autoauthor_staging`,
    ...extra,
  });
  const publicUrls = [`http://127.0.0.1:${s.publicPort}/`, `http://127.0.0.1:${s.publicPort}/api/v1/health`];
  return {
    s,
    root,
    artifact,
    appDir: app.dir,
    tmpfs,
    env,
    deploy: (a, commit = SHA, extra = {}, args = []) => {
      // The release stands for a build of `commit`: a deploy refuses an artifact whose REVISION names another.
      writeFileSync(join(a, "REVISION"), `${commit}\n`);
      return runPipeline(
        ["deploy-staging", "--artifact", a, "--commit", commit, "--source", app.dir, ...args],
        env(extra),
      );
    },
    rollback: (args = [], extra = {}) => runPipeline(["rollback", "--source", app.dir, ...args], env(extra)),
    releases: () => readdirSync(join(s.base, "releases")).sort(),
    currentId: () => readlinkSync(join(s.base, "current")).split("/").pop() ?? "",
    locked: () => existsSync(join(s.base, ".dep/deploy.lock")),
    serving: async () => {
      const r = await fetch(publicUrls[1]).catch(() => undefined);
      return r?.status === 200 ? (r.headers.get("x-release") ?? "") : "";
    },
    variant: (name, files) => {
      const dir = join(root, name);
      rmSync(dir, { recursive: true, force: true });
      cpSync(artifact, dir, { recursive: true });
      // Another build, of no commit yet: deploy() (or a test deploying it) says which.
      rmSync(join(dir, "REVISION"), { force: true });
      for (const [rel, content] of Object.entries(files)) {
        rmSync(join(dir, rel), { force: true });
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), content);
      }
      return dir;
    },
    underLoad: async (fn, keepAlive = false) => {
      const load = startLoad({ urls: publicUrls, keepAlive, concurrency: 2, pauseMs: 5, maxSeconds: 300 });
      try {
        const result = await fn();
        return { result, load: await load.stop() };
      } finally {
        await load.stop();
      }
    },
    close: async () => {
      await stopStagingServer(s.dir);
      if (tmpfs) await $({ quiet: true, nothrow: true })`umount ${s.base}`;
      app.remove();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
