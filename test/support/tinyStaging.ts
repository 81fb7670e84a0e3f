/**
 * The real loopback staging server (sshd, nginx, PM2, the MongoDB stand-in) with the tiny release of tinyRelease.ts:
 * a deploy takes seconds, not a Next build, so a test can deploy, kill and re-deploy many times. `close()` stops every
 * process and unmounts what it mounted.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { $ } from "zx";
import { parseReleaseLog, type ReleaseLogEntry } from "../../ci/src/plan/deploy/releaseLog";
import { startStagingServer, stopStagingServer, type StagingServer } from "../../scripts/host/staging/server";
import { runPipeline, startPipeline, type CliResult, type RunningCli } from "./cli";
import { tinyRepo, type TinyRepo } from "./tinyRelease";

export interface TinyStaging {
  s: StagingServer;
  root: string;
  repo: TinyRepo;
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** deploy-staging of `artifact` (default the tiny release) at `commit`. */
  deploy(commit: string, artifact?: string, args?: string[]): Promise<CliResult>;
  /** The same, started in its own process group, for a test that signals it mid-run. */
  start(commit: string, artifact?: string, args?: string[]): RunningCli;
  rollback(args?: string[]): Promise<CliResult>;
  releases(): string[];
  currentId(): string;
  locked(): boolean;
  log(): ReleaseLogEntry[];
  /** The release nginx serves (X-Release of a 200 from /api/v1/health), or "" when none answers. */
  serving(): Promise<string>;
  /** The last lines of every PM2 app's logs on the server, for a test's failure message. */
  appLogs(): string;
  /** A copy of the tiny release with some files replaced. */
  variant(name: string, files: Record<string, string | Buffer>): string;
  close(): Promise<void>;
}

/** Start the staging server for the tiny release; `baseMb` puts DEPLOY_BASE on an ext4 image of that size. */
export async function tinyStaging(opts: { baseMb?: number } = {}): Promise<TinyStaging> {
  const root = mkdtempSync(join(tmpdir(), "tiny-staging-"));
  const base = join(root, "staging/base");
  mkdirSync(base, { recursive: true });
  const image = join(root, "base.img");
  if (opts.baseMb) {
    await $({ quiet: true })`truncate -s ${opts.baseMb}M ${image}`;
    await $({ quiet: true })`mkfs.ext4 -q -F -m 0 ${image}`;
    await $({ quiet: true })`mount -o loop ${image} ${base}`;
  }
  const s = await startStagingServer(join(root, "staging"));
  const repo = tinyRepo(root);
  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    ...process.env,
    STAGING_SERVER_DIR: s.dir,
    STAGING_SECRET_DATABASE_URI: `mongodb://127.0.0.1:${s.mongoPort}/tiny`,
    ...extra,
  });
  const deployArgs = (commit: string, artifact = repo.artifact, args: string[] = []) => [
    "deploy-staging",
    ...["--artifact", artifact, "--commit", commit, "--source", repo.source, ...args],
  ];
  return {
    s,
    root,
    repo,
    env,
    deploy: (commit, artifact, args) => runPipeline(deployArgs(commit, artifact, args), env()),
    start: (commit, artifact, args) => startPipeline(deployArgs(commit, artifact, args), env()),
    rollback: (args = []) => runPipeline(["rollback", "--source", repo.source, ...args], env()),
    releases: () => readdirSync(join(s.base, "releases")).sort(),
    currentId: () =>
      existsSync(join(s.base, "current")) ? readlinkSync(join(s.base, "current")).split("/").pop()! : "",
    locked: () => existsSync(join(s.base, ".dep/deploy.lock")),
    log: () => parseReleaseLog(readFileSync(join(s.base, ".dep/releases.jsonl"), "utf8")),
    serving: async () => {
      const r = await fetch(`http://127.0.0.1:${s.publicPort}/api/v1/health`).catch(() => undefined);
      return r?.status === 200 ? (r.headers.get("x-release") ?? "") : "";
    },
    appLogs: () => {
      const dir = join(s.pm2Home, "logs");
      const files = existsSync(dir) ? readdirSync(dir).sort() : [];
      return files
        .map((f) => `== ${f}\n${readFileSync(join(dir, f), "utf8").split("\n").slice(-20).join("\n")}`)
        .join("\n");
    },
    variant: (name, files) => {
      const dir = join(root, name);
      rmSync(dir, { recursive: true, force: true });
      cpSync(repo.artifact, dir, { recursive: true });
      for (const [rel, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), content);
      }
      return dir;
    },
    close: async () => {
      await stopStagingServer(s.dir);
      // Lazily: an app PM2 just stopped may still hold its release dir open for a moment.
      if (opts.baseMb) await $({ quiet: true, nothrow: true })`umount -l ${base}`;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
