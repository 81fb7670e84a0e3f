/**
 * The bundled local "staging server": sshd on a loopback port with its own host key and
 * authorized key, nginx in front of the app ports, a MongoDB stand-in, a DEPLOY_BASE,
 * its own PM2_HOME and its sessions' own HOME, all under one directory (default .pipeline/staging). Started detached;
 * `stop` ends every process by its recorded pid.
 */
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { $ } from "zx";
import { defaultConfig } from "../../../ci/src/plan/config/defaults";
import { InputError } from "../../../ci/src/plan/errors";
import { holdUntilExit } from "../interrupt";
import { freePort } from "../services";
import { upstreamsConf } from "../../../ci/src/plan/deploy/slots";
import { repositoryEnvBash } from "../../../ci/src/plan/env";
import { stagingAppFlags, stagingRepositoryFlags } from "../sandbox";
import { confineWrapper, nginxConf, pm2DaemonFiles, pm2Wrapper, sshdConf } from "./configs";
import { DEFAULT_STAGING_DIR } from "./dir";
const PM2 = resolve(import.meta.dirname, "../../../node_modules/.bin/pm2");

export interface StagingServer {
  dir: string;
  base: string;
  pm2Home: string;
  sshPort: number;
  publicPort: number;
  mongoPort: number;
  keyFile: string;
  knownHosts: string;
  pids: { sshd?: number; nginx?: number; mongo?: number };
}

/** Start sshd, nginx and a MongoDB stand-in under `dir`; write deploy.env with the STAGING_* settings. */
export async function startStagingServer(dir = DEFAULT_STAGING_DIR): Promise<StagingServer> {
  await stopStagingServer(dir);
  // A signal before the start ends stops what it started (a Ctrl-C once sshd ran left it running, unnamed): no
  // further daemon is launched, the one being launched is waited for, then all are stopped.
  const guard = { interrupted: false, step: Promise.resolve() as Promise<unknown> };
  const release = holdUntilExit(async () => {
    guard.interrupted = true;
    await guard.step.catch(() => undefined);
    await stopStagingServer(dir);
  });
  try {
    return await start(dir, <T>(launch: () => Promise<T>): Promise<T> => {
      // Interrupted: launch nothing more; the held stop ends the process (interrupt.ts).
      if (guard.interrupted) return new Promise<T>(() => {});
      const p = launch();
      guard.step = p;
      return p;
    });
  } finally {
    release();
  }
}

async function start(dir: string, launch: <T>(f: () => Promise<T>) => Promise<T>): Promise<StagingServer> {
  const ports = {
    ssh: await freePort(),
    pub: await freePort(),
    fe: [await freePort(), await freePort()],
    be: [await freePort(), await freePort()],
    mongo: await freePort(),
  };
  const s: StagingServer = {
    dir,
    base: join(dir, "base"),
    pm2Home: join(dir, "pm2"),
    sshPort: ports.ssh,
    publicPort: ports.pub,
    mongoPort: ports.mongo,
    keyFile: join(dir, "ssh/client_key"),
    knownHosts: "",
    pids: {},
  };
  // PM2_HOME is what the app under the confined daemon may write (a dump, modules, links): each start begins with an
  // empty one. bin/ holds the wrappers of this start only, so stop can tell whether the server's PM2 is confined.
  await removeAppWritten(s.pm2Home);
  rmSync(join(dir, "bin"), { recursive: true, force: true });
  for (const d of [
    "ssh",
    "home/.cache",
    "base/shared/env",
    "base/releases",
    "base/.dep/e2e",
    "pm2",
    "nginx/tmp",
    "mongo",
  ])
    mkdirSync(join(dir, d), { recursive: true });
  // Fresh keys on every start: ssh-keygen would stop to ask before overwriting the last run's.
  for (const k of ["host_key", "host_key.pub", "client_key", "client_key.pub"])
    rmSync(join(dir, "ssh", k), { force: true });
  await $({ quiet: true })`ssh-keygen -q -t ed25519 -N ${""} -f ${join(dir, "ssh/host_key")} -C staging-host`;
  await $({ quiet: true })`ssh-keygen -q -t ed25519 -N ${""} -f ${s.keyFile} -C staging-deploy`;
  writeFileSync(join(dir, "ssh/authorized_keys"), readFileSync(`${s.keyFile}.pub`));
  s.knownHosts = `[127.0.0.1]:${ports.ssh} ${readFileSync(join(dir, "ssh/host_key.pub"), "utf8").split(" ").slice(0, 2).join(" ")}`;
  // Before the app's confinement is worked out (confinedPm2), which masks it.
  writeFileSync(join(dir, "deploy.env"), deployEnv(s), { mode: 0o600 });
  const ngx = join(dir, "nginx");
  const nginx = {
    upstreamsFile: join(ngx, "upstreams.conf"),
    reload: ["nginx", "-c", join(ngx, "nginx.conf"), "-p", ngx, "-s", "reload"],
  };
  const slots = ports.fe.map((p, i) => ({ frontendPorts: [p], backendPorts: [ports.be[i]] }));
  const server = {
    path: [dirname(process.execPath), dirname(PM2), ...(await toolDirs())].join(":"),
    pm2Home: s.pm2Home,
    pm2: confinedPm2(s),
    ...confine(s),
    publicPort: ports.pub,
    frontendPorts: ports.fe,
    backendPorts: ports.be,
    slots,
    nginx,
  };
  writeFileSync(join(s.base, "shared/server.json"), JSON.stringify(server, null, 2));
  writeFileSync(join(dir, "ssh/sshd_config"), sshdConf(dir, ports.ssh, process.env));
  writeFileSync(join(dir, "nginx/nginx.conf"), nginxConf(dir, ports.pub));
  writeFileSync(nginx.upstreamsFile, upstreamsConf(slots[0], "none"));
  mkdirSync("/run/sshd", { recursive: true });
  // state.json names each process as soon as it runs, so a start that fails or is killed midway can be stopped.
  const save = () => writeFileSync(join(dir, "state.json"), JSON.stringify(s, null, 2));
  save();
  for (const f of PID_FILES) rmSync(join(dir, f), { force: true });
  s.pids.sshd = await launch(async () => {
    await $({ quiet: true })`/usr/sbin/sshd -f ${join(dir, "ssh/sshd_config")} -E ${join(dir, "ssh/sshd.log")}`;
    return pidFile(join(dir, "ssh/sshd.pid"));
  });
  save();
  s.pids.nginx = await launch(async () => {
    await $({ quiet: true })`nginx -c ${join(dir, "nginx/nginx.conf")} -p ${join(dir, "nginx")}`;
    return pidFile(join(dir, "nginx/nginx.pid"));
  });
  save();
  s.pids.mongo = await launch(async () => startMongo(dir, ports.mongo));
  save();
  return s;
}

/**
 * The `pm2` the server's deploys run: on this machine, where the app would run as the runner's user beside the runner
 * (its processes' environ, its key copies, this server's deploy key), a wrapper that runs PM2's daemon, and so the
 * app, confined as repository commands are (pm2Wrapper); PM2 itself where repository commands are not confined.
 */
function confinedPm2(s: StagingServer): string {
  const flags = stagingAppFlags({ dir: s.dir, pm2Home: s.pm2Home, base: s.base });
  if (!flags) return PM2;
  const pm2 = realpathSync(PM2);
  const wrapper = join(s.dir, "bin/pm2");
  mkdirSync(dirname(wrapper), { recursive: true });
  const daemon = join(dirname(pm2), "../lib/Daemon.js");
  const o = { dir: s.dir, pm2Home: s.pm2Home, flags, node: process.execPath, pm2, daemon };
  writeFileSync(wrapper, pm2Wrapper({ ...o, repositoryEnv: repositoryEnvBash() }), { mode: 0o755 });
  return wrapper;
}

/**
 * The `confine` prefix the server's deploys put before the other repository code they run (`uv sync`, deploy.migrate):
 * a wrapper that runs it confined as repository commands are, in a release it may write, with the server's uv cache
 * (its sessions' home/.cache) writable (configs.ts confineWrapper); none where repository commands are not confined.
 */
function confine(s: StagingServer): { confine?: string } {
  const cache = join(s.dir, "home/.cache");
  const flags = stagingRepositoryFlags({ dir: s.dir, base: s.base, cache });
  if (!flags) return {};
  const wrapper = join(s.dir, "bin/confine");
  mkdirSync(dirname(wrapper), { recursive: true });
  const releases = realpathSync(join(s.base, "releases"));
  writeFileSync(wrapper, confineWrapper({ releases, flags }), { mode: 0o755 });
  return { confine: wrapper };
}

/**
 * Remove a folder the app may have written, whatever it left there: links are removed, never followed; a folder it made
 * unreadable (its own, so the runner's user may change it) is made readable first.
 */
async function removeAppWritten(p: string): Promise<void> {
  try {
    rmSync(p, { recursive: true, force: true });
  } catch {
    await $({ quiet: true, nothrow: true })`chmod -R u+rwX ${p}`;
    rmSync(p, { recursive: true, force: true });
  }
}

/** Daemons write their pid file after forking: wait for it. */
async function pidFile(file: string): Promise<number> {
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
  return Number(readFileSync(file, "utf8"));
}

async function toolDirs(): Promise<string[]> {
  const uv = (await $({ quiet: true, nothrow: true })`which uv`).stdout.trim();
  return [uv ? dirname(uv) : "", "/usr/local/bin", "/usr/bin", "/bin"].filter(Boolean);
}

function startMongo(dir: string, port: number): number | undefined {
  const path = `${resolve(import.meta.dirname, "../../../.tools/bin")}:${process.env.PATH}`;
  const cmd = defaultConfig().services.mongo.hostCommands.find((c) =>
    path.split(":").some((p) => existsSync(join(p, c.bin))),
  );
  if (!cmd) return undefined;
  const bin = path
    .split(":")
    .map((p) => join(p, cmd.bin))
    .find(existsSync)!;
  const args = cmd.args.map((a) => a.replaceAll("{port}", String(port)).replaceAll("{dataDir}", join(dir, "mongo")));
  const log = openSync(join(dir, "mongo/log"), "a");
  const child = spawn(bin, args, { cwd: join(dir, "mongo"), detached: true, stdio: ["ignore", log, log] });
  child.unref();
  return child.pid;
}

function deployEnv(s: StagingServer): string {
  return [
    `STAGING_SSH_HOST=127.0.0.1`,
    `STAGING_SSH_PORT=${s.sshPort}`,
    `STAGING_SSH_USER=${process.env.USER || "root"}`,
    `STAGING_DEPLOY_PATH=${s.base}`,
    `STAGING_SSH_KEY_FILE=${s.keyFile}`,
    `STAGING_KNOWN_HOSTS="${s.knownHosts}"`,
    `STAGING_PUBLIC_URL=http://127.0.0.1:${s.publicPort}`,
    `STAGING_SECRET_DATABASE_URI=mongodb://127.0.0.1:${s.mongoPort}/autoauthor_staging`,
    "",
  ].join("\n");
}

/**
 * Stop PM2 (its own PM2_HOME, in the folder), nginx, sshd and the database by their pids; keep nothing running. A pid
 * is only signalled while it is still the server's process (ours): after a reboot, or once one died, state.json names
 * pids that other processes have since.
 */
export async function stopStagingServer(dir = DEFAULT_STAGING_DIR): Promise<void> {
  const file = join(dir, "state.json");
  // The daemons' own pid files too: one started just before a signal or a crash may not be in state.json yet.
  const daemons = PID_FILES.map((f) => join(dir, f)).filter((f) => existsSync(f));
  const confined = existsSync(pm2DaemonFiles(dir).pidFile);
  if (!existsSync(file) && !daemons.length && !confined) return;
  const s = existsSync(file) ? readState(file) : { pids: {} as StagingServer["pids"] };
  if (confined) await stopConfinedPm2(dir);
  // PM2 itself, run here outside the sandbox, on a PM2_HOME the confined apps wrote would start the modules they left
  // there (module_conf.json) as the runner: only a server whose PM2 is not confined (no bin/pm2) is stopped with it.
  else if (existsSync(join(dir, "pm2")) && !existsSync(join(dir, "bin/pm2")))
    await $({ quiet: true, nothrow: true, env: { ...process.env, PM2_HOME: join(dir, "pm2") } })`${PM2} kill`;
  // A daemon that ends meanwhile removes its pid file (nginx does): gone, nothing to stop.
  const fromFiles = daemons.map((f) => Number(readIfThere(f).trim()));
  for (const pid of new Set([s.pids.nginx, s.pids.sshd, s.pids.mongo, ...fromFiles])) if (ours(pid, dir)) kill(pid);
  rmSync(file, { force: true });
}

/** Where sshd and nginx write their pids (they remove them as they exit). */
const PID_FILES = ["ssh/sshd.pid", "nginx/nginx.pid"];

/** One line per part: running or not, and where. */
export function stagingStatus(dir = DEFAULT_STAGING_DIR): string {
  const file = join(dir, "state.json");
  if (!existsSync(file)) return `staging server: stopped (start it: npm run pipeline -- staging-server start)`;
  const s = readState(file);
  const alive = (pid?: number) => (ours(pid, dir) ? `running (pid ${pid})` : "NOT running");
  return [
    `staging server under ${dir}`,
    `  sshd   ${alive(s.pids.sshd)} on 127.0.0.1:${s.sshPort}`,
    `  nginx  ${alive(s.pids.nginx)}: the app at http://127.0.0.1:${s.publicPort}/`,
    `  mongo  ${alive(s.pids.mongo)} on 127.0.0.1:${s.mongoPort}`,
    `  DEPLOY_BASE ${s.base}, PM2_HOME ${s.pm2Home}; settings in ${join(dir, "deploy.env")}`,
  ].join("\n");
}

/** state.json as `start` wrote it; InputError naming the file when it is not (torn, edited by hand). */
function readState(file: string): StagingServer {
  try {
    const s = JSON.parse(readFileSync(file, "utf8")) as StagingServer;
    if (s && typeof s === "object" && s.pids && typeof s.pids === "object") return s;
  } catch {
    // said below
  }
  throw new InputError(
    `${file} is not the staging server's state (torn or edited by hand), so no process of it was stopped. Fix: stop its sshd, nginx and database by hand if they run (ps -ef | grep ${dirname(file)}), then rm ${file}`,
  );
}

/**
 * Whether `pid` is still a process this server started: sshd and nginx name the folder on their command line, the
 * database runs in it. A pid reused since is someone else's.
 */
function ours(pid: number | undefined, dir: string): pid is number {
  if (!Number.isInteger(pid) || pid! <= 0) return false;
  const real = realpathSync(dir);
  try {
    if (
      readFileSync(`/proc/${pid}/cmdline`, "utf8")
        .split("\0")
        .some((a) => a.includes(real))
    )
      return true;
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    return cwd === real || cwd.startsWith(`${real}/`);
  } catch {
    return false;
  }
}

/**
 * End the confined PM2 daemon and its apps: its bwrap's child is their PID namespace's init, and every process in the
 * namespace ends with it. (`pm2 kill` from here would wait for a signal the daemon cannot send out of its namespace.)
 */
async function stopConfinedPm2(dir: string): Promise<void> {
  const { pidFile } = pm2DaemonFiles(dir);
  const bwrap = Number(readFileSync(pidFile, "utf8").trim());
  rmSync(pidFile, { force: true });
  // Its bwrap and the namespace's init, and those of a daemon killed since (its bwrap gone, its init left running the
  // apps that outlived it): the init's end ends every process of its namespace.
  const all = daemonBwraps(dir);
  for (const pid of all) kill(pid, "SIGKILL");
  if (ours(bwrap, dir) && procField(bwrap, "comm") === "bwrap")
    for (const pid of processes()) if (procField(pid, "ppid") === String(bwrap)) kill(pid, "SIGKILL");
  // Gone before stop returns, so what it held is free (a loaded machine reaps it a moment later: up to 10 s).
  const running = () =>
    [bwrap, ...all].some((p) => procField(p, "comm") === "bwrap" && !["Z", ""].includes(procField(p, "state")));
  for (let i = 0; i < 200 && running(); i++) await new Promise((r) => setTimeout(r, 50));
}

/** The pids of every bwrap that runs this server's PM2 daemon (configs.ts pm2Wrapper `daemons`, the same test). */
function daemonBwraps(dir: string): number[] {
  const daemon = join(dirname(realpathSync(PM2)), "../lib/Daemon.js");
  const pm2Home = join(dir, "pm2");
  const homes = new Set([pm2Home, ...(existsSync(pm2Home) ? [realpathSync(pm2Home)] : [])]);
  const found: number[] = [];
  for (const pid of processes()) {
    if (procField(pid, "comm") !== "bwrap") continue;
    const argv = readIfThere(`/proc/${pid}/cmdline`).split("\0").slice(0, -1);
    if (argv.at(-1) === daemon && argv.some((a) => homes.has(a))) found.push(pid);
  }
  return found;
}

/** The pids /proc lists now. */
function processes(): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

function readIfThere(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** A process's name, state or parent pid from /proc/<pid>/stat, or "" when it is gone. */
function procField(pid: number, field: "comm" | "state" | "ppid"): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const m = /^\d+ \((.*)\) (\S+) (\d+)/s.exec(stat);
    return (field === "comm" ? m?.[1] : field === "state" ? m?.[2] : m?.[3]) ?? "";
  } catch {
    return "";
  }
}

function kill(pid: number, signal: NodeJS.Signals = "SIGTERM"): void {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
}
