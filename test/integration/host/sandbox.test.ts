import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { basename, join } from "node:path";
import { $ } from "zx";
import { shellQuote } from "../../../scripts/deploy/remote";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../support/example";
import { startStagingServer, stopStagingServer, type StagingServer } from "../../../scripts/host/staging/server";
import {
  confinedArgv,
  hiddenPaths,
  probeSandbox,
  repositoryArgv,
  sandboxMode,
  type Hidden,
} from "../../../scripts/host/sandbox";
import { keyCopyDirs, keyHolder, resolveTarget } from "../../../scripts/host/target";
import { runPipeline } from "../../support/cli";

/**
 * Repository code is untrusted, and on the host runner it runs as the runner's own user. Here a repository's `lint`
 * script goes looking for the runner's secrets the ways a 2026-12-06 hostile run did: every process's
 * /proc/<pid>/environ (the runner's, npm's and the shell's above it), the runs' key dirs under the temp dir
 * (deploy-ssh-*), the runner's `.env`, the key file a variable names, and the ssh-agent socket. Confined (the
 * default where bubblewrap works), it finds nothing; with PIPELINE_SANDBOX=off the same script finds each of them,
 * so the test sees the difference the sandbox makes.
 */
const TOKEN = `c4n4ry${process.pid}x${Date.now()}`;
const secret = (what: string) => `${TOKEN}-${what} "quoted" $HOME \`id\` with spaces\nand a second line`;

/** How both hostile scripts start: every process's environ searched for TOKEN; `found` collects what they find. */
const LOOK_START = `
const fs = require("fs"), net = require("net"), path = require("path"), { spawnSync } = require("child_process");
const token = ${JSON.stringify(TOKEN)};
const found = [];
const read = (p) => { try { return fs.readFileSync(p, "latin1"); } catch { return ""; } };
for (const pid of fs.readdirSync("/proc").filter((n) => /^\\d+$/.test(n)))
  if (read("/proc/" + pid + "/environ").includes(token)) found.push("environ");
const tmp = process.env.TMPDIR || "/tmp";
// The runs' key dirs: in the key holder, and any an older version left in the temp dir itself.
const keyDirs = [tmp, path.join(tmp, "deploy-keys-" + process.getuid())].flatMap((p) => {
  try { return fs.readdirSync(p).filter((n) => n.startsWith("deploy-ssh-")).map((n) => path.join(p, n)); } catch { return []; }
});
`;

/** Whether `p` is read-only to the command `h` confines: bound so itself, or in a system folder not given back. */
/** Run `look` with sh as the runner runs a repository command in `root` (masks worked out, then bubblewrap). */
const confinedShell = (look: string, root: string, runner: NodeJS.ProcessEnv) =>
  $({ quiet: true, nothrow: true, cwd: root, env: runner })`${repositoryArgv(["sh", "-c", look], root, runner)}`;

function readOnlyIn(h: Hidden, p: string): boolean {
  const inside = (dir: string) => p === dir || p.startsWith(`${dir}/`);
  return (h.readOnly ?? []).some(inside) || ((h.system ?? []).some(inside) && !(h.own ?? []).some(inside));
}

/** The script: prints one `LOOK>` line of JSON naming each place where it found TOKEN, and a marker file it wrote. */
const LOOK = `${LOOK_START}
for (const d of keyDirs)
  for (const f of (() => { try { return fs.readdirSync(d); } catch { return []; } })())
    if (read(path.join(d, f)).includes(token)) found.push("keydir");
const [envFile, keyFile, sock, pipelineFile] = process.argv.slice(2);
const home = process.env.HOME;
if (read(path.join(home, ".ssh/id_ed25519")).includes(token)) found.push("home key");
const plant = (p, what) => { try { fs.appendFileSync(p, "# planted\\n"); found.push(what); } catch {} };
plant(path.join(home, ".bashrc"), "planted .bashrc");
plant(path.join(home, ".local/bin/ssh"), "planted ~/.local/bin/ssh");
plant(pipelineFile, "planted pipeline file");
if (read(envFile).includes(token)) found.push(".env");
if (read(keyFile).includes(token)) found.push("key file");
fs.writeFileSync("written-by-lint.txt", "ok");
const c = net.connect(sock);
c.on("data", (d) => { if (String(d).includes(token)) found.push("agent"); });
const done = () => { console.log("LOOK>" + JSON.stringify({ found: [...new Set(found)].sort(), pids: fs.readdirSync("/proc").filter((n) => /^\\d+$/.test(n)).length })); process.exit(0); };
c.on("close", done); c.on("error", done);
`;

interface Look {
  found: string[];
  pids: number;
}

describe("a repository command on the host runner, looking for the runner's secrets", () => {
  const available = probeSandbox().ok;
  let dir: string;
  let runnerDir: string;
  let keyDir: string;
  let agent: Server;
  let runnerEnv: NodeJS.ProcessEnv;
  let home: string;
  /** A file the unconfined script creates in this pipeline's own node_modules (removed after). */
  const pipelineFile = join(ROOT, "node_modules", `.planted-by-test-${process.pid}`);

  /** `frontend-checks` on the repository, run as a user runs it from runnerDir (where its `.env` is). */
  const run = async (extra: NodeJS.ProcessEnv = {}) => {
    rmSync(join(dir, "frontend/written-by-lint.txt"), { force: true });
    const r = await $({ cwd: runnerDir, env: { ...runnerEnv, ...extra }, quiet: true, nothrow: true })`${join(
      ROOT,
      "node_modules/.bin/tsx",
    )} ${join(ROOT, "scripts/pipeline.ts")} frontend-checks --source ${dir} --report-dir ${join(dir, "reports")}`;
    const out = r.stdout + r.stderr;
    const line = out.split("\n").find((l) => l.includes("LOOK>{")) ?? "";
    const look: Look | undefined = line ? JSON.parse(line.slice(line.indexOf("LOOK>{") + 5)) : undefined;
    return { exitCode: r.exitCode, out, look };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "repo-sandbox-"));
    runnerDir = mkdtempSync(join(tmpdir(), "runner-"));
    keyDir = mkdtempSync(join(keyHolder(realpathSync(tmpdir())), `deploy-ssh-${process.pid}-`));
    writeFileSync(join(keyDir, "key"), secret("keycopy"), { mode: 0o600 });
    writeFileSync(join(runnerDir, ".env"), `GITHUB_TOKEN="${TOKEN}-dotenv"\n`);
    const keyFile = join(runnerDir, "id_staging");
    writeFileSync(keyFile, secret("keyfile"), { mode: 0o600 });
    const sock = join(runnerDir, "agent.sock");
    agent = createServer((c) => c.end(secret("agent")));
    await new Promise<void>((ok) => agent.listen(sock, ok));
    // As ssh-agent makes its socket: for the user alone.
    chmodSync(sock, 0o600);
    mkdirSync(join(dir, "frontend"));
    mkdirSync(join(dir, "backend"));
    writeFileSync(join(dir, "frontend/look.js"), LOOK);
    writeFileSync(
      join(dir, "frontend/package.json"),
      JSON.stringify({
        name: "probe",
        scripts: { lint: `node look.js ${join(runnerDir, ".env")} ${keyFile} ${sock} ${pipelineFile}` },
      }),
    );
    writeFileSync(
      join(dir, "pipeline.yaml"),
      "frontend:\n  install: node --version\n  steps:\n    lint: npm run lint\n",
    );
    // The user's home: a key in ~/.ssh, the shell's startup file, a folder on PATH.
    home = join(runnerDir, "home");
    mkdirSync(join(home, ".ssh"), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, ".ssh/id_ed25519"), secret("homekey"), { mode: 0o600 });
    writeFileSync(join(home, ".bashrc"), "# the user's\n");
    mkdirSync(join(home, ".local/bin"), { recursive: true });
    writeFileSync(join(home, ".local/bin/ssh"), "#!/bin/sh\n", { mode: 0o755 });
    runnerEnv = {
      ...process.env,
      STAGING_SSH_KEY: secret("env"),
      GITHUB_TOKEN: secret("token"),
      STAGING_SSH_KEY_FILE: keyFile,
      SSH_AUTH_SOCK: sock,
      HOME: home,
      PIPELINE_SANDBOX: "",
    };
  }, 30_000);
  afterAll(() => {
    agent?.close();
    for (const d of [dir, runnerDir, keyDir, pipelineFile]) rmSync(d, { recursive: true, force: true });
  });

  it("finds every one of them unconfined (PIPELINE_SANDBOX=off): the script can see what the sandbox hides", async () => {
    const r = await run({ PIPELINE_SANDBOX: "off" });
    expect(r.exitCode, r.out).toBe(0);
    expect(r.look?.found).toEqual([
      ".env",
      "agent",
      "environ",
      "home key",
      "key file",
      "keydir",
      "planted .bashrc",
      "planted pipeline file",
      "planted ~/.local/bin/ssh",
    ]);
    expect(readFileSync(join(home, ".bashrc"), "utf8")).toContain("# planted");
    expect(existsSync(pipelineFile)).toBe(true);
    rmSync(pipelineFile, { force: true });
    writeFileSync(join(home, ".bashrc"), "# the user's\n");
  }, 120_000);

  it.runIf(available)(
    "finds none of them confined, by default, and still runs, writes and passes",
    async () => {
      const r = await run();
      expect(r.exitCode, r.out).toBe(0);
      expect(r.look?.found).toEqual([]);
      expect(readFileSync(join(home, ".bashrc"), "utf8")).toBe("# the user's\n");
      expect(existsSync(pipelineFile)).toBe(false);
      // Its own processes only: the namespace's init, npm, sh, node.
      expect(r.look!.pids).toBeLessThan(8);
      expect(readFileSync(join(dir, "frontend/written-by-lint.txt"), "utf8")).toBe("ok");
      expect(r.out).not.toContain(TOKEN);
    },
    120_000,
  );

  // The runner reads a relative STAGING_SSH_KEY_FILE (or one in its `.env`) from the folder it runs in, as a deploy
  // does; a 2026-12-06 hostile run's lint script read such a key, since only absolute paths were masked.
  it.runIf(available)(
    "finds no key file a runner variable or its .env names by a path relative to the runner's folder",
    async () => {
      const envFile = join(runnerDir, ".env");
      const before = readFileSync(envFile, "utf8");
      try {
        const named = await run({ STAGING_SSH_KEY_FILE: "id_staging", PIPELINE_SANDBOX: "require" });
        expect(named.exitCode, named.out).toBe(0);
        expect(named.look?.found).toEqual([]);
        writeFileSync(envFile, `${before}PRODUCTION_SSH_KEY_FILE=./id_staging\n`);
        const inDotenv = await run({ STAGING_SSH_KEY_FILE: "", PIPELINE_SANDBOX: "require" });
        expect(inDotenv.exitCode, inDotenv.out).toBe(0);
        expect(inDotenv.look?.found).toEqual([]);
      } finally {
        writeFileSync(envFile, before);
      }
    },
    120_000,
  );

  // ssh refuses a key others can read, but the runner hands ssh its own 0600 copy: a key file left 0644 deploys, and
  // a 2026-12-06 hostile run's lint script read it (only private files were masked, so as not to hide a CA bundle).
  it.runIf(available)(
    "finds no key file a runner variable names, though others may read it (mode 0644)",
    async () => {
      const keyFile = join(runnerDir, "id_staging");
      chmodSync(keyFile, 0o644);
      try {
        const r = await run({ PIPELINE_SANDBOX: "require" });
        expect(r.exitCode, r.out).toBe(0);
        expect(r.look?.found).toEqual([]);
      } finally {
        chmodSync(keyFile, 0o600);
      }
    },
    120_000,
  );

  it.runIf(available)(
    "fails the job when the confined script fails, with its exit code",
    async () => {
      const pkg = join(dir, "frontend/package.json");
      const before = readFileSync(pkg, "utf8");
      writeFileSync(pkg, JSON.stringify({ name: "probe", scripts: { lint: "exit 3" } }));
      try {
        const r = await run({ PIPELINE_SANDBOX: "require" });
        expect(r.exitCode, r.out).toBe(1);
        expect(r.out).toMatch(/step lint: exit 3/);
      } finally {
        writeFileSync(pkg, before);
      }
    },
    120_000,
  );

  it("refuses a PIPELINE_SANDBOX it does not know before anything runs: exit 2 naming the values", async () => {
    const r = await run({ PIPELINE_SANDBOX: "strict" });
    expect(r.exitCode).toBe(2);
    expect(r.out).toContain('PIPELINE_SANDBOX is "strict", not one of auto, require, off');
    expect(r.look).toBeUndefined();
  }, 60_000);

  it("with require, where bubblewrap is missing, refuses to run the command: exit 2 naming the fix", async () => {
    const r = await run({ PIPELINE_SANDBOX: "require", PATH: pathWithoutBwrap() });
    expect(r.exitCode, r.out).toBe(2);
    expect(r.out).toMatch(/cannot be confined: bwrap is not installed\. Fix: install bubblewrap/);
    expect(r.look).toBeUndefined();
  }, 60_000);

  it("with auto, where bubblewrap is missing, warns once and runs the command", async () => {
    const r = await run({ PATH: pathWithoutBwrap() });
    expect(r.exitCode, r.out).toBe(0);
    expect(r.out.match(/warning: repository commands run unconfined: bwrap is not installed/g)).toHaveLength(1);
    expect(r.look?.found.length).toBeGreaterThan(0);
  }, 60_000);
});

/**
 * The fifth hostile run's own case: a repository whose build (here its `build` script, which `next build` would be)
 * looks around during `deploy-staging`, when the run's key copy and its open SSH connection exist. It reads every
 * /proc/<pid>/environ, every key dir's files, and tries to run `id` on staging through each control socket; it writes
 * what it found to a file outside the repository, then fails, so the deploy stops before the lock.
 */
const BUILD_LOOK = `${LOOK_START}
for (const d of keyDirs) {
  const files = (() => { try { return fs.readdirSync(d); } catch { return []; } })();
  if (files.some((f) => read(path.join(d, f)).includes("PRIVATE KEY"))) found.push("key copy");
  if (files.includes("cm")) {
    const r = spawnSync("ssh", ["-o", "ControlPath=" + path.join(d, "cm"), "-o", "BatchMode=yes", "staging", "id"]);
    if (r.status === 0) found.push("ssh to staging");
  }
}
// The bundled staging server's own key (the eighth hostile run): staging's sshd runs on this machine, outside the
// sandbox, so the key is a way out of it. Its port is guessed from deploy.env, or from the sshd config beside the key.
const ssh = path.join(process.argv[3], "ssh");
const key = path.join(ssh, "client_key");
if (read(key).includes("PRIVATE KEY")) found.push("staging key");
const port = /STAGING_SSH_PORT=(\\d+)/.exec(read(path.join(process.argv[3], "deploy.env")))?.[1]
  ?? /^Port (\\d+)/m.exec(read(path.join(ssh, "sshd_config")))?.[1];
const user = require("os").userInfo().username;
const opts = ["-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"];
if (port && spawnSync("ssh", [...opts, "-i", key, "-p", port, user + "@127.0.0.1", "id"]).status === 0)
  found.push("ssh to staging with its key");
fs.writeFileSync(process.argv[2], JSON.stringify([...new Set(found)].sort()));
process.exit(1);
`;

describe("the deploy's build (repository code) during deploy-staging, with the key and secrets in the runner", () => {
  const available = probeSandbox().ok;
  let s: StagingServer;
  let root: string;
  let src: string;
  const seen = () => join(root, "seen.json");

  const deploy = (extra: NodeJS.ProcessEnv = {}) => {
    rmSync(seen(), { force: true });
    return runPipeline(["deploy-staging", "--source", src, "--commit", "3520442e4dc3c5bc938a31806b1e6a4d20cd12bc"], {
      ...process.env,
      STAGING_SERVER_DIR: s.dir,
      STAGING_SECRET_DATABASE_URI: `mongodb://127.0.0.1:${s.mongoPort}/sandbox_${TOKEN}`,
      STAGING_SECRET_API_KEY: secret("app"),
      GITHUB_TOKEN: secret("token"),
      TMPDIR: join(root, "tmp"),
      PIPELINE_SANDBOX: "",
      ...extra,
    });
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "sandbox-deploy-"));
    mkdirSync(join(root, "tmp"));
    s = await startStagingServer(join(root, "staging"));
    src = join(root, "app");
    for (const d of ["frontend/node_modules", "backend"]) mkdirSync(join(src, d), { recursive: true });
    writeFileSync(join(src, "frontend/next.config.ts"), 'export default { output: "standalone" };\n');
    writeFileSync(join(src, "frontend/look.js"), BUILD_LOOK);
    writeFileSync(
      join(src, "frontend/package.json"),
      JSON.stringify({ name: "probe", scripts: { build: `node look.js ${seen()} ${s.dir}` } }),
    );
    writeFileSync(join(src, "ecosystem.config.cjs"), "module.exports = { apps: [] };\n");
    writeFileSync(join(src, "pipeline.yaml"), "deploy:\n  watch: { windowSeconds: 0 }\n");
  }, 120_000);
  afterAll(async () => {
    if (s) await stopStagingServer(s.dir);
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it("unconfined (PIPELINE_SANDBOX=off), the build reads the secrets and the key copy and runs id on staging", async () => {
    const r = await deploy({ PIPELINE_SANDBOX: "off" });
    expect(r.exitCode, r.output).toBe(1);
    expect(JSON.parse(readFileSync(seen(), "utf8"))).toEqual([
      "environ",
      "key copy",
      "ssh to staging",
      "ssh to staging with its key",
      "staging key",
    ]);
  }, 180_000);

  it.runIf(available)(
    "confined (the default), the same build finds none of them; the deploy stops at the build",
    async () => {
      const r = await deploy();
      expect(r.exitCode, r.output).toBe(1);
      expect(JSON.parse(readFileSync(seen(), "utf8"))).toEqual([]);
      expect(existsSync(join(s.base, ".dep/deploy.lock"))).toBe(false);
      expect(keyCopyDirs(join(root, "tmp"))).toEqual([]);
      expect(r.output).not.toContain(TOKEN);
    },
    180_000,
  );
});

/**
 * The eighth hostile run's case: a long-running repository command (a slow test suite, the E2E app) is already
 * confined when, in another terminal, a deploy writes its key copy. bubblewrap masks the key dirs there at its start;
 * the script below polls the temp dir's whole tree for the key for as long as the deploy's key exists.
 */
const LATE_LOOK = `
const fs = require("fs"), path = require("path");
const [tmp, marks, token] = process.argv.slice(1);
const found = new Set();
const walk = (d, depth) => {
  let names = [];
  try { names = fs.readdirSync(d); } catch { return; }
  for (const n of names) {
    const p = path.join(d, n);
    let st;
    try { st = fs.lstatSync(p); } catch { continue; }
    if (st.isDirectory() && depth < 4) walk(p, depth + 1);
    else if (st.isFile()) { try { if (fs.readFileSync(p, "latin1").includes(token)) found.add(path.relative(tmp, p)); } catch {} }
  }
};
fs.writeFileSync(path.join(marks, "started"), "");
const tick = () => {
  walk(tmp, 0);
  if (fs.existsSync(path.join(marks, "stop"))) { console.log("LATE>" + JSON.stringify([...found])); process.exit(0); }
  setTimeout(tick, 20);
};
tick();
`;

describe("a confined command already running when a deploy writes its key copy", () => {
  const available = probeSandbox().ok;
  const withTmp = async <T>(dir: string, fn: () => Promise<T>): Promise<T> => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      return await fn();
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  };

  /** Start the poller through the runner's own argv, then write a key copy as a deploy does; what the poller found. */
  const race = (mode: string) => {
    const root = mkdtempSync(join(tmpdir(), "late-key-"));
    const tmp = join(root, "tmp");
    const marks = join(root, "marks");
    mkdirSync(tmp, { mode: 0o700 });
    mkdirSync(marks);
    return withTmp(tmp, async () => {
      const argv = repositoryArgv(["node", "-e", LATE_LOOK, tmp, marks, TOKEN], marks, {
        ...process.env,
        PIPELINE_SANDBOX: mode,
      });
      const child = spawn(argv[0], argv.slice(1), { cwd: marks, stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      const closed = new Promise((ok) => child.on("close", ok));
      try {
        for (let i = 0; !existsSync(join(marks, "started")); i++) {
          if (i > 600) throw new Error("the poller never started");
          await new Promise((r) => setTimeout(r, 50));
        }
        const t = resolveTarget("staging", {
          STAGING_SSH_HOST: "staging.example.com",
          STAGING_SSH_USER: "deploy",
          STAGING_DEPLOY_PATH: "/srv/app",
          STAGING_KNOWN_HOSTS: "staging.example.com ssh-ed25519 AAAA",
          STAGING_SECRET_DATABASE_URI: "mongodb://db/app",
          STAGING_SSH_KEY: secret("late key"),
        });
        await new Promise((r) => setTimeout(r, 500));
        writeFileSync(join(marks, "stop"), "");
        await closed;
        t.dispose();
        const line = out.split("\n").find((l) => l.startsWith("LATE>")) ?? "";
        return JSON.parse(line.slice(5) || "null") as string[] | null;
      } finally {
        child.kill();
        rmSync(root, { recursive: true, force: true });
      }
    });
  };

  it("unconfined (PIPELINE_SANDBOX=off), the command reads the key copy the deploy wrote after it started", async () => {
    expect((await race("off"))?.some((f) => f.endsWith("/key"))).toBe(true);
  }, 60_000);

  it.runIf(available)(
    "confined, it finds nothing",
    async () => {
      expect(await race("require")).toEqual([]);
    },
    60_000,
  );
});

describe("what a confined command is kept from", () => {
  let tmp: string;
  let cwd: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "hidden-"));
    cwd = mkdtempSync(join(tmpdir(), "hidden-cwd-"));
  });
  afterAll(() => {
    for (const d of [tmp, cwd]) rmSync(d, { recursive: true, force: true });
  });

  it("masks the key holder and every older key dir, the runner's .env, and the private files its *_FILE and *_SOCK variables name", () => {
    const holder = join(tmp, `deploy-keys-${process.getuid?.() ?? 0}`);
    mkdirSync(holder);
    mkdirSync(join(tmp, "deploy-ssh-1-a"));
    mkdirSync(join(tmp, "deploy-ssh-2-b"));
    mkdirSync(join(tmp, "other-dir"));
    writeFileSync(join(tmp, "deploy-ssh-3-file"), "");
    writeFileSync(join(cwd, ".env"), "X=1\n", { mode: 0o644 });
    const key = join(cwd, "key");
    writeFileSync(key, "k", { mode: 0o600 });
    const linkToKey = join(cwd, "key-link");
    symlinkSync(key, linkToKey);
    const bundle = join(cwd, "ca.pem");
    writeFileSync(bundle, "ca", { mode: 0o644 });
    const h = hiddenPaths(
      {
        STAGING_SSH_KEY_FILE: linkToKey,
        // Public files: the system's CA bundle is what repository commands need, so it stays.
        NIX_SSL_CERT_FILE: bundle,
        // Allow-listed: given to repository commands, never masked.
        SSL_CERT_FILE: key,
        RELATIVE_FILE: "key",
        GONE_FILE: join(cwd, "missing"),
        DIR_FILE: cwd,
      },
      tmp,
      cwd,
    );
    // With tsx's transform caches, there or not: the sandbox's tsx gets its own (sandbox.plant.test.ts).
    const tsx = [join(tmp, "tsx"), join(tmp, `tsx-${process.getuid?.() ?? 0}`)];
    // (What this checkout's .pipeline holds is masked by its own rule: the last test here.)
    const state = (p: string) => !p.startsWith(join(ROOT, ".pipeline/"));
    expect(h.dirs.filter(state).sort()).toEqual(
      [holder, join(tmp, "deploy-ssh-1-a"), join(tmp, "deploy-ssh-2-b"), ...tsx].sort(),
    );
    // This pipeline's own .env is hidden too; where there is none, its checkout is read-only: a command must not
    // write one for a later run.
    const ownEnv = existsSync(join(ROOT, ".env")) ? [join(ROOT, ".env")] : [];
    expect(h.files.filter(state).sort()).toEqual([join(cwd, ".env"), key, ...ownEnv].sort());
    expect(readOnlyIn(h, join(ROOT, ".env"))).toBe(true);
  });

  it("masks the bundled staging server's keys and deploy.env, and a private key file the runner's .env or that deploy.env names", () => {
    // Staging's sshd runs on this machine outside the sandbox: with its key, a command would have a shell outside.
    const staging = join(cwd, "staging");
    mkdirSync(join(staging, "ssh"), { recursive: true });
    // Its PM2 daemon's rpc.sock starts any process asked, outside the sandbox (a confined `pm2 start` did).
    mkdirSync(join(staging, "pm2"), { recursive: true });
    writeFileSync(join(staging, "ssh/client_key"), "k", { mode: 0o600 });
    const prodKey = join(cwd, "prod_key");
    writeFileSync(prodKey, "k", { mode: 0o600 });
    const otherKey = join(cwd, "other_key");
    writeFileSync(otherKey, "k", { mode: 0o600 });
    writeFileSync(join(staging, "deploy.env"), `STAGING_SSH_KEY_FILE=${otherKey}\n`, { mode: 0o600 });
    writeFileSync(join(cwd, ".env"), `PRODUCTION_SSH_KEY_FILE=${prodKey}\n`, { mode: 0o644 });
    const h = hiddenPaths({ STAGING_SERVER_DIR: staging }, tmp, cwd);
    expect(h.dirs).toEqual(expect.arrayContaining([join(staging, "ssh"), join(staging, "pm2")]));
    expect(h.files).toEqual(expect.arrayContaining([join(staging, "deploy.env"), prodKey, otherKey]));
    // The rest of its folder (DEPLOY_BASE, server.json, whose commands the server's scripts run) is read-only.
    expect(h.readOnly).toContain(staging);
  });

  // A `.env` that names a key file twice (an old line left above a new one): the deploy commands refuse it, but
  // fast-tests and the other stages still run, and the sandbox masked only the value dotenv keeps, the last: the key
  // the first line names stayed readable to a pull request's command (the eleventh hostile run). Every value counts.
  it("masks the key file each assignment of a settings file names, not only the last one dotenv keeps", () => {
    const dir = mkdtempSync(join(cwd, "twice-"));
    const oldKey = join(dir, "old_key");
    const newKey = join(dir, "new_key");
    const colonKey = join(dir, "colon_key");
    for (const k of [oldKey, newKey, colonKey]) writeFileSync(k, "k", { mode: 0o644 });
    writeFileSync(
      join(dir, ".env"),
      `export STAGING_SSH_KEY_FILE=${oldKey}\nPRODUCTION_SSH_KEY_FILE: ${colonKey}\nSTAGING_SSH_KEY_FILE=${newKey}\nPRODUCTION_SSH_KEY_FILE=${newKey}\n`,
    );
    const h = hiddenPaths({}, tmp, dir);
    expect(h.files).toEqual(expect.arrayContaining([oldKey, newKey, colonKey]));
  });

  it("hides the credential stores in the user's home and makes its startup files and this pipeline's code read-only", () => {
    const home = join(cwd, "home");
    mkdirSync(join(home, ".ssh"), { recursive: true });
    mkdirSync(join(home, ".config/gh"), { recursive: true });
    // PM2's home: its daemon's sockets start any command they are asked to, outside the sandbox.
    mkdirSync(join(home, ".pm2"), { recursive: true });
    writeFileSync(join(home, ".netrc"), "machine x password y\n");
    writeFileSync(join(home, ".bashrc"), "");
    writeFileSync(join(home, ".npmrc"), "registry=https://registry.npmjs.org/\n");
    const h = hiddenPaths({ HOME: home }, tmp, cwd, home, join(cwd, "repo/frontend"));
    expect(h.dirs).toEqual(expect.arrayContaining([join(home, ".ssh"), join(home, ".config/gh"), join(home, ".pm2")]));
    expect(h.files).toContain(join(home, ".netrc"));
    expect(h.readOnly).toEqual(expect.arrayContaining([join(home, ".bashrc"), join(home, ".npmrc")]));
    // This pipeline's checkout whole (its code, .pipeline, and any .npmrc there): bound read-only before the rest.
    for (const p of ["scripts", "ci", ".pipeline", ".npmrc"]) expect(readOnlyIn(h, join(ROOT, p)), p).toBe(true);
    // The embedded example is a repository like any other: its folder stays writable, the pipeline's code does not.
    const example = hiddenPaths({ HOME: home }, tmp, cwd, home, join(ROOT, "examples/app/frontend"));
    expect(readOnlyIn(example, join(ROOT, "node_modules"))).toBe(true);
    expect(readOnlyIn(example, join(ROOT, "examples/app/frontend"))).toBe(false);
    // Run on the pipeline's own checkout, its files are the repository's: none is made read-only.
    const self = hiddenPaths({ HOME: home }, tmp, cwd, home, ROOT);
    expect(readOnlyIn(self, join(ROOT, "node_modules"))).toBe(false);
  });

  it("builds one bubblewrap argv: its own PID namespace and /proc, root's capabilities and kernel settings, the masks, the folder, then the command as given", () => {
    expect(
      confinedArgv("bwrap", ["npm", "run", "lint", "a b"], "/repo", { dirs: ["/t/d"], files: ["/r/.env"] }),
    ).toEqual([
      "bwrap",
      "--dev-bind",
      "/",
      "/",
      "--new-session",
      "--unshare-pid",
      "--proc",
      "/proc",
      // bubblewrap keeps root's capabilities unless told not to; a user's it drops itself.
      ...(process.geteuid?.() === 0
        ? [
            "--cap-drop",
            "ALL",
            ...["/proc/sys", "/sys"].filter(existsSync).flatMap((p) => ["--ro-bind", p, p]),
            "--dev",
            "/dev",
          ]
        : []),
      "--die-with-parent",
      "--tmpfs",
      "/t/d",
      "--dev-bind",
      "/dev/null",
      "/r/.env",
      "--chdir",
      "/repo",
      "--",
      "npm",
      "run",
      "lint",
      "a b",
    ]);
  });

  it("reads PIPELINE_SANDBOX exactly: unset or empty is auto, a near miss is an input error", () => {
    expect(sandboxMode({})).toBe("auto");
    expect(sandboxMode({ PIPELINE_SANDBOX: "" })).toBe("auto");
    expect(sandboxMode({ PIPELINE_SANDBOX: "require" })).toBe("require");
    expect(() => sandboxMode({ PIPELINE_SANDBOX: "Off" })).toThrow(
      /input error: PIPELINE_SANDBOX is "Off", not one of auto, require, off/,
    );
  });
});

/** PATH with a folder linking every tool on it but bwrap, so the runner finds node, npm and git but no bwrap. */
function pathWithoutBwrap(): string {
  const bin = mkdtempSync(join(tmpdir(), "no-bwrap-"));
  for (const d of (process.env.PATH ?? "").split(":").filter(Boolean))
    for (const n of existsSync(d) ? readdirSync(d) : [])
      if (n !== "bwrap" && !existsSync(join(bin, n))) symlinkSync(join(d, n), join(bin, n));
  return bin;
}

describe.runIf(probeSandbox().ok)("a repository command, looking in the runner's state (.pipeline)", () => {
  /**
   * The eighth hostile run: the bundled staging server keeps its state under .pipeline/staging (or
   * STAGING_SERVER_DIR), read-only to a confined command but readable: its deploy key (ssh/client_key, which logs in
   * as this user over the loopback sshd, outside the sandbox), deploy.env (STAGING_SECRET_DATABASE_URI), the app's
   * secrets (base/shared/env) and PM2's sockets (pm2/rpc.sock: its daemon starts any command it is asked to).
   */
  it("finds no private file or folder there, and no socket to connect to", async () => {
    const dir = mkdtempSync(join(tmpdir(), "state-"));
    const server = createServer((c) => c.end(`${TOKEN}-socket\n`));
    try {
      for (const d of ["ssh", "base/shared", "pm2"]) mkdirSync(join(dir, d), { recursive: true });
      writeFileSync(join(dir, "ssh/client_key"), secret("key"), { mode: 0o600 });
      writeFileSync(join(dir, "deploy.env"), secret("deploy.env"), { mode: 0o600 });
      mkdirSync(join(dir, "base/shared/env"), { mode: 0o700 });
      writeFileSync(join(dir, "base/shared/env/DATABASE_URI"), secret("app"), { mode: 0o600 });
      writeFileSync(join(dir, "base/shared/server.json"), "{}\n");
      await new Promise<void>((ok) => server.listen(join(dir, "pm2/rpc.sock"), ok));
      const look = `
const fs = require("fs"), net = require("net"), path = require("path");
const dir = ${JSON.stringify(dir)}, token = ${JSON.stringify(TOKEN)}, found = [];
const read = (p) => { try { return fs.readFileSync(p, "utf8"); } catch { return ""; } };
for (const f of ["ssh/client_key", "deploy.env", "base/shared/env/DATABASE_URI"])
  if (read(path.join(dir, f)).includes(token)) found.push(f);
if (read(path.join(dir, "base/shared/server.json")) !== "{}\\n") found.push("lost server.json");
const c = net.connect(path.join(dir, "pm2/rpc.sock"));
c.on("data", (d) => { if (String(d).includes(token)) found.push("socket"); });
const done = () => { console.log(JSON.stringify(found)); process.exit(0); };
c.on("error", done); c.on("close", done); setTimeout(done, 3000);`;
      const runner = { ...process.env, STAGING_SERVER_DIR: dir, PIPELINE_SANDBOX: "require" };
      // The command's own folder, outside the state.
      const cwd = join(dir, "..", `${basename(dir)}-cmd`);
      mkdirSync(cwd);
      const argv = repositoryArgv(["node", "-e", look], cwd, runner);
      const r = await $({ quiet: true, nothrow: true, cwd, env: runner })`${argv}`;
      rmSync(cwd, { recursive: true, force: true });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([]);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(probeSandbox().ok)("a repository command on a runner whose HOME is unset", () => {
  /**
   * The ninth session's hostile run: node, npm, uv, git and ssh fall back to the user's home (the password file's)
   * when HOME is unset, but the sandbox took the home from HOME alone: ~/.ssh was listed and written (sshd runs
   * ~/.ssh/rc at each login, outside the sandbox).
   */
  it("still hides the credential stores in the user's home", async () => {
    const ssh = join(userInfo().homedir, ".ssh");
    const had = existsSync(ssh);
    const planted = join(ssh, `sandbox-probe-${process.pid}`);
    const runner: NodeJS.ProcessEnv = { ...process.env, PIPELINE_SANDBOX: "require" };
    delete runner.HOME;
    const cwd = mkdtempSync(join(tmpdir(), "nohome-"));
    const write = `const fs = require("fs"); fs.mkdirSync(${JSON.stringify(ssh)}, { recursive: true });
fs.writeFileSync(${JSON.stringify(planted)}, "planted"); console.log(fs.readdirSync(${JSON.stringify(ssh)}).length);`;
    try {
      const r = await $({
        quiet: true,
        nothrow: true,
        cwd,
        env: runner,
      })`${repositoryArgv(["node", "-e", write], cwd, runner)}`;
      expect(r.exitCode, r.stderr).toBe(0);
      // Its own empty folder: it sees only what it wrote, and that is gone once it ends.
      expect(r.stdout.trim()).toBe("1");
      expect(existsSync(planted)).toBe(false);
    } finally {
      rmSync(planted, { force: true });
      if (!had) rmSync(ssh, { recursive: true, force: true });
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe.runIf(probeSandbox().ok)("a repository command on a runner whose HOME is a link", () => {
  /**
   * The ninth session's hostile run: with HOME a link to the home folder, bubblewrap refused to make the masks of the
   * startup files the user has not got through the link ("Can't create file at …/.bashrc"): every confined command,
   * a push's and a pull request's, failed to start.
   */
  it("runs, with the credential stores hidden through the link", async () => {
    const root = mkdtempSync(join(tmpdir(), "homelink-"));
    const real = join(root, "home");
    mkdirSync(join(real, ".ssh"), { recursive: true });
    writeFileSync(join(real, ".ssh/id_ed25519"), "KEY", { mode: 0o600 });
    const link = join(root, "homelink");
    symlinkSync(real, link);
    const runner: NodeJS.ProcessEnv = { ...process.env, HOME: link, PIPELINE_SANDBOX: "require" };
    const read = `const fs = require("fs"); console.log(fs.readdirSync(${JSON.stringify(join(link, ".ssh"))}).length);`;
    try {
      const r = await $({ quiet: true, nothrow: true, cwd: root, env: runner })`${repositoryArgv(
        ["node", "-e", read],
        root,
        runner,
      )}`;
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe("0");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.runIf(probeSandbox().ok && existsSync("/usr/bin/script"))("a repository command run from a terminal", () => {
  /**
   * The twelfth hostile run: a confined command shared the runner's session, so it opened the user's terminal
   * (/dev/tty) and pushed a line into its input with TIOCSTI (`echo …` ran in the user's shell once the pipeline
   * ended, outside the sandbox, with every secret of the user's). It has a session of its own, with no terminal.
   */
  it("has no controlling terminal, so it cannot type into the user's shell", async () => {
    const root = mkdtempSync(join(tmpdir(), "tty-"));
    // script(1) runs `$SHELL -c`: a POSIX sh (CI's), so the argv is quoted for any sh, not with bash's $'…'.
    const runner: NodeJS.ProcessEnv = { ...process.env, PIPELINE_SANDBOX: "require", SHELL: "/bin/sh" };
    try {
      const argv = repositoryArgv(
        ["sh", "-c", "(: </dev/tty) 2>/dev/null && echo has-terminal; echo done"],
        root,
        runner,
      );
      // script(1) runs it on a terminal of its own, as a user's shell does.
      const r = await $({
        quiet: true,
        nothrow: true,
        cwd: root,
        env: runner,
      })`script -qec ${argv.map(shellQuote).join(" ")} /dev/null`;
      expect(r.stdout, r.stderr).toContain("done");
      expect(r.stdout).not.toContain("has-terminal");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.runIf(probeSandbox().ok)("a repository command on a runner that runs as root: its masks", () => {
  /**
   * The eleventh hostile run: bubblewrap run by root keeps the caller's capabilities in the sandbox unless told to
   * drop them, CAP_SYS_ADMIN among them: a command lifted its masks with umount (the key holder, deploy.env, the
   * server's deploy key), and `umount -l /proc` showed it every process of the runner (their environ, the deploy's
   * secrets) and let it nsenter out. The same flags confine the bundled staging server's apps and migrations.
   */
  it("has no capability, so it cannot unmount its masks or its /proc", async () => {
    const root = mkdtempSync(join(tmpdir(), "caps-"));
    const masked = join(root, "masked");
    mkdirSync(masked);
    writeFileSync(join(masked, "key"), TOKEN);
    const runner: NodeJS.ProcessEnv = { ...process.env, PIPELINE_SANDBOX: "require" };
    const script = `grep CapEff /proc/self/status
umount -l ${masked} 2>/dev/null; cat ${masked}/key 2>/dev/null && echo
umount -l /proc 2>/dev/null; [ -e /proc/${process.pid} ] && echo "sees the runner"; true`;
    try {
      const argv = confinedArgv("bwrap", ["bash", "-c", script], root, { dirs: [masked], files: [] });
      const r = await $({ quiet: true, nothrow: true, cwd: root, env: runner })`${argv}`;
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe("CapEff:\t0000000000000000");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.runIf(probeSandbox().ok)("a repository command on a runner that is root", () => {
  /**
   * The eleventh hostile run: bubblewrap started by root keeps every capability in the sandbox, so a root runner's
   * confined lint ran `umount -l /proc` (the sandbox's /proc, over the host's) and read the runner's GITHUB_TOKEN in
   * its /proc/<pid>/environ, and `mount -o remount,bind,rw /etc` undid a read-only bind. A confined command holds no
   * capability, whatever the runner's user.
   */
  it("has no capability and the kernel's settings read-only: no unmount, no remount, no sysctl or sysfs write, no host device", async () => {
    const root = mkdtempSync(join(tmpdir(), "caps-"));
    const runner: NodeJS.ProcessEnv = { ...process.env, PIPELINE_SANDBOX: "require" };
    const look = [
      "grep CapEff /proc/self/status",
      "umount -l /proc 2>/dev/null",
      'echo "pids $(ls /proc | grep -c "^[0-9]")"',
      "mount -o remount,bind,rw /etc 2>/dev/null && echo remounted",
      // The kernel's settings: root writes a sysctl by its mode alone (kernel.core_pattern's pipe runs as root outside
      // every namespace at the next crash), and sysfs's (uevent_helper, where there is one, likewise).
      "test -w /proc/sys/kernel/core_pattern && echo sysctl-writable",
      'echo "sysfs $(find /sys -writable -type f 2>/dev/null | wc -l)"',
      // The host's devices: root opens a disk's block device by its mode alone, under every read-only bind.
      'echo "devices $(find /dev -type b 2>/dev/null | wc -l)"',
    ].join("; ");
    try {
      const r = await confinedShell(look, root, runner);
      expect(r.stdout).toMatch(/CapEff:\s+0+\n/);
      expect(r.stdout).not.toContain("remounted");
      expect(r.stdout).not.toContain("sysctl-writable");
      expect(r.stdout).toContain("sysfs 0\n");
      expect(r.stdout).toContain("devices 0\n");
      // bwrap as init, sh, its subshell, ls and grep at most: none of the runner's processes.
      expect(Number(/pids (\d+)/.exec(r.stdout)?.[1])).toBeLessThanOrEqual(6);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.runIf(probeSandbox().ok && process.geteuid?.() === 0)(
  "a push's repository command on a root runner, at /",
  () => {
    /**
     * The eleventh hostile run: the system's folders were read-only to every command, but `/` itself was not, and its
     * entries /bin, /lib, /lib64 and /sbin are links into /usr (the loader every program starts with lies behind
     * /lib64): a root runner's lint could point one elsewhere, or add an entry there, on the host.
     */
    it("cannot change an entry of / or add one; its own folders, the home and the temp dir stay writable", async () => {
      const root = mkdtempSync(join(tmpdir(), "slash-"));
      const mark = `slash-probe-${process.pid}-${Date.now()}`;
      const link = `/${mark}-link`;
      symlinkSync("tmp", link);
      const runner: NodeJS.ProcessEnv = { ...process.env, PIPELINE_SANDBOX: "require" };
      const home = userInfo().homedir;
      const look = [
        `ln -sfn /root ${link} 2>/dev/null && echo relinked`,
        `mkdir /${mark} 2>/dev/null && echo made`,
        `touch ${join(root, "own")} && echo own-ok`,
        `touch ${join(tmpdir(), mark)} && echo tmp-ok`,
        `touch ${join(home, `.${mark}`)} && echo home-ok`,
      ].join("; ");
      try {
        const r = await confinedShell(look, root, runner);
        expect(r.stdout).not.toContain("relinked");
        expect(r.stdout).not.toContain("made");
        expect(readlinkSync(link)).toBe("tmp");
        expect(existsSync(`/${mark}`)).toBe(false);
        expect(r.stdout).toContain("own-ok\ntmp-ok\nhome-ok");
      } finally {
        rmSync(root, { recursive: true, force: true });
        rmSync(link, { force: true });
        rmSync(`/${mark}`, { recursive: true, force: true });
        rmSync(join(tmpdir(), mark), { force: true });
        rmSync(join(home, `.${mark}`), { force: true });
      }
    });

    /**
     * The twelfth hostile run: /dev was the sandbox's own, but every top folder was bound with its devices usable, so a
     * device node lying in one (a container's or a chroot's /dev under the home or /tmp, a node the runner left) opened
     * the host's device by its mode alone: a disk's block device under every read-only bind and mask.
     */
    it("cannot open a device node lying in a top folder (the temp dir, the home)", async () => {
      const root = mkdtempSync(join(tmpdir(), "node-"));
      // /dev/null's numbers, harmless to open: any other host device's node opens the same way.
      const node = join(root, "dev-node");
      await $({ quiet: true })`mknod ${node} c 1 3`;
      const runner: NodeJS.ProcessEnv = { ...process.env, PIPELINE_SANDBOX: "require" };
      try {
        const r = await $({ quiet: true, nothrow: true, cwd: root, env: runner })`${repositoryArgv(
          ["sh", "-c", `cat ${node} && echo device-opened; echo done`],
          root,
          runner,
        )}`;
        expect(r.stdout).toContain("done");
        expect(r.stdout).not.toContain("device-opened");
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  },
);
