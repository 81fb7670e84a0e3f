/**
 * The replay's world: a bare "GitHub" repository with main and develop, clones act runs in, two loopback servers
 * (staging and production, each the bundled staging server), a webhook receiver, and the secrets file act reads.
 */
import { createServer, type Server } from "node:http";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { $ } from "zx";
import { startStagingServer, stopStagingServer, type StagingServer } from "../host/staging/server";
import type { Commit, Repo } from "./events";
import { formatSecretFile, planSecrets, type Reach } from "./secrets";

export const REPO: Repo = { owner: "autoauthor", name: "pipeline", defaultBranch: "main" };
const URL_OF_REPO = `https://github.com/${REPO.owner}/${REPO.name}`;
const GIT_ID = ["-c", "user.name=Replay", "-c", "user.email=replay@example.com"];

/** The bare origin and the clones: `dev` pushes, `develop` and `main` are where act runs for each kind of hop. */
export interface Git {
  origin: string;
  dev: string;
  develop: string;
  main: string;
  /** A global git config sending the repository's GitHub URL to the bare origin (actions/checkout fetches from it). */
  gitConfig: string;
}

/** Clone the project's HEAD as main, branch develop from it, and prepare the clones. */
export async function makeGit(root: string, project: string): Promise<Git> {
  const g: Git = {
    origin: join(root, "origin.git"),
    dev: join(root, "dev"),
    develop: join(root, "work-develop"),
    main: join(root, "work-main"),
    gitConfig: join(root, "gitconfig"),
  };
  await $({ quiet: true })`git clone -q --bare --single-branch ${project} ${g.origin}`;
  await $({ quiet: true, cwd: g.origin })`git symbolic-ref HEAD refs/heads/main`;
  const head = (await $({ quiet: true, cwd: project })`git rev-parse HEAD`).stdout.trim();
  await $({ quiet: true, cwd: g.origin })`git update-ref refs/heads/main ${head}`;
  await $({ quiet: true, cwd: g.origin })`git update-ref refs/heads/develop ${head}`;
  await $({ quiet: true, cwd: g.origin })`git config uploadpack.allowAnySHA1InWant true`;
  for (const d of [g.dev, g.develop, g.main]) {
    await $({ quiet: true })`git clone -q ${g.origin} ${d}`;
    await $({ quiet: true, cwd: d })`git remote set-url origin ${URL_OF_REPO}.git`;
  }
  // Git picks the longest matching prefix: the .git form first, so it does not become origin.git.git.
  writeFileSync(
    g.gitConfig,
    `[url "file://${g.origin}"]\n\tinsteadOf = ${URL_OF_REPO}.git\n\tinsteadOf = ${URL_OF_REPO}\n`,
  );
  await $({ quiet: true, cwd: g.dev, env: gitEnv(g) })`git checkout -q develop`;
  return g;
}

export const gitEnv = (g: Git) => ({ ...process.env, GIT_CONFIG_GLOBAL: g.gitConfig });

/** Commit `files` on develop in the dev clone and push it; the develop work clone then checks it out. */
export async function pushDevelop(g: Git, message: string, files: Record<string, string | null>): Promise<Commit> {
  const sha = await commitFiles(g, message, files);
  await $({ quiet: true, cwd: g.dev, env: gitEnv(g) })`git push -q origin develop`;
  await $({ quiet: true, cwd: g.develop, env: gitEnv(g) })`git fetch -q origin`;
  await $({ quiet: true, cwd: g.develop })`git checkout -q -B develop ${sha}`;
  return { sha, message };
}

/**
 * Commit `files` on `branch` (from develop's head) in the dev clone and push only that branch, as a fork's pull request
 * leaves a head the repository holds that no workflow ever ran; the dev clone goes back to develop.
 */
export async function pushSide(
  g: Git,
  branch: string,
  message: string,
  files: Record<string, string | null>,
): Promise<Commit> {
  await $({ quiet: true, cwd: g.dev })`git checkout -q -b ${branch}`;
  try {
    const sha = await commitFiles(g, message, files);
    await $({ quiet: true, cwd: g.dev, env: gitEnv(g) })`git push -q origin ${branch}`;
    return { sha, message };
  } finally {
    await $({ quiet: true, cwd: g.dev })`git checkout -q develop`;
  }
}

/** Write (or with null, remove) `files` in the dev clone and commit them on its current branch; return the sha. */
async function commitFiles(g: Git, message: string, files: Record<string, string | null>): Promise<string> {
  for (const [path, text] of Object.entries(files)) {
    if (text === null) await $({ quiet: true, cwd: g.dev })`git rm -q --ignore-unmatch ${path}`;
    else {
      mkdirSync(join(g.dev, path, ".."), { recursive: true });
      writeFileSync(join(g.dev, path), text);
      await $({ quiet: true, cwd: g.dev })`git add ${path}`;
    }
  }
  await $({ quiet: true, cwd: g.dev })`git ${GIT_ID} commit -q -m ${message}`;
  return (await $({ quiet: true, cwd: g.dev })`git rev-parse HEAD`).stdout.trim();
}

export const headOf = async (dir: string) => (await $({ quiet: true, cwd: dir })`git rev-parse HEAD`).stdout.trim();

/** A loopback receiver for the webhook secrets: every POST body, by path. */
export interface Receiver {
  url: string;
  port: number;
  posts: { path: string; body: string }[];
  close(): void;
}

export async function startReceiver(): Promise<Receiver> {
  const posts: Receiver["posts"] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      posts.push({ path: req.url ?? "", body });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, port, posts, close: () => server.close() };
}

/** Staging and production: two bundled servers under root. */
export async function startServers(root: string): Promise<{ staging: StagingServer; production: StagingServer }> {
  const staging = await startStagingServer(join(root, "staging"));
  const production = await startStagingServer(join(root, "production"));
  return { staging, production };
}

export async function stopServers(s: { staging?: StagingServer; production?: StagingServer }): Promise<void> {
  for (const x of [s.staging, s.production]) if (x) await stopStagingServer(x.dir);
}

/** Where the jobs dial each server and the receiver; without it, loopback (the stand-in's jobs run on this host). */
export interface Reaches {
  staging: Reach;
  production: Reach;
  receiver: string;
}

/** The repository's secrets as act reads them (dotenv; the key's newlines escaped inside double quotes). */
export function writeSecrets(file: string, s: StagingServer, p: StagingServer, receiver: Receiver, at?: Reaches): void {
  const loopback = (x: StagingServer): Reach => ({ host: "127.0.0.1", sshPort: x.sshPort, publicPort: x.publicPort });
  const server = (x: StagingServer, reach: Reach) => ({
    base: x.base,
    key: readFileSync(x.keyFile, "utf8"),
    mongoPort: x.mongoPort,
    knownHosts: x.knownHosts,
    reach,
  });
  const all = planSecrets({
    user: process.env.USER || "root",
    staging: server(s, at?.staging ?? loopback(s)),
    production: server(p, at?.production ?? loopback(p)),
    receiver: at?.receiver ?? receiver.url,
  });
  writeFileSync(file, formatSecretFile(all), { mode: 0o600 });
}
