/**
 * The host runner's confinement of repository commands (installs, lint, tests, builds, scans, the services and the app
 * they start). The allow-listed environment (ci/src/plan/env.ts) keeps the runner's secrets out of what such a command
 * is handed; this keeps it from looking for them. With bubblewrap, each one runs in a PID namespace of its own with its
 * own /proc, so no process of the runner (or of the shell and CI step above it) and no `environ` of theirs can be seen;
 * the folder of the runs' key dirs (`$TMPDIR/deploy-keys-<uid>/deploy-ssh-*`: the key copy, known_hosts, the SSH
 * control socket) is an empty tmpfs, so a key dir made while the command runs is not seen either; the runner's `.env`
 * and the files and sockets its other variables name (`*_FILE`, `*_SOCK`, such as STAGING_SSH_KEY_FILE or
 * SSH_AUTH_SOCK, when private to the user) read as empty, and so do the credential stores in the user's home (~/.ssh,
 * ~/.aws, ~/.docker, ~/.netrc …) and the private files and sockets of the runner's state (.pipeline, the bundled
 * staging server's folder: its deploy key, deploy.env, the app's secrets, PM2's sockets). What programs started outside
 * the sandbox later run or read at start (this pipeline's own code, the shell's and git's startup files, ~/.local/bin,
 * every folder on the runner's PATH with what its programs run from elsewhere (a link's target, a version manager's
 * root), the folders where the runner's node looks for a module its node_modules lacks, the system's folders, the
 * repository's git dir with its config and hooks) is read-only, and tsx's transform cache is the sandbox's own, so a
 * command cannot plant code for a later run that holds the secrets. To a push's command, the rest of the file system
 * is the user's own, as it is to any program the user runs: this is not a container (the Dagger path is). To a pull
 * request's, every folder but its checkout, its own home and temp folders (cacheScope.ts) is read-only.
 *
 *   PIPELINE_SANDBOX=auto (the default)  confine when bwrap works here; if not, say so once and run unconfined
 *   PIPELINE_SANDBOX=require             a repository command that cannot be confined is an input error (exit 2)
 *   PIPELINE_SANDBOX=off                 never confine
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { spawnSync } from "node:child_process";
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  type Dirent,
} from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir, userInfo } from "node:os";
import { basename, delimiter, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { gitDirsOf } from "./git";
import { stagingDeployEnv, stagingServerDir } from "./staging/dir";
import { dotenvAssignments, readSettingsFile } from "./target";
import { KEY_DIR_PREFIX, keyHolderName } from "../../ci/src/plan/deploy/ssh";
import { isAllowedRunnerVariable } from "../../ci/src/plan/env";
import { InputError } from "../../ci/src/plan/errors";
import { printable } from "../../ci/src/plan/triggers/commits";
import { KEEP_SCOPES, scopesToPrune } from "../../ci/src/plan/triggers/cacheScope";

/** How repository commands are run: PIPELINE_SANDBOX's values. */
export type SandboxMode = "auto" | "require" | "off";

const MODES: readonly SandboxMode[] = ["auto", "require", "off"];

/** PIPELINE_SANDBOX, checked: unset or empty is auto; anything not in the list is an input error naming the list. */
export function sandboxMode(env: Record<string, string | undefined>): SandboxMode {
  const v = env.PIPELINE_SANDBOX;
  if (v === undefined || v === "") return "auto";
  if ((MODES as readonly string[]).includes(v)) return v as SandboxMode;
  throw new InputError(
    `PIPELINE_SANDBOX is "${printable(v)}", not one of ${MODES.join(", ")}. Fix: unset it (auto: confine repository commands when bubblewrap works) or set it to require or off`,
  );
}

/**
 * What a confined command must not read (folders shown as an empty tmpfs, files and sockets as /dev/null) and what it
 * may read but not change (bound read-only onto itself).
 */
export interface Hidden {
  dirs: string[];
  files: string[];
  readOnly?: string[];
  /** The system's folders and this checkout, bound read-only first; then `own` (what the command works in) writable. */
  system?: string[];
  own?: string[];
  /** Variables set inside: a pull request's command's own home and temp dir (cacheScope.ts). */
  env?: Record<string, string>;
  /**
   * The temp folders every run shares (the runner's TMPDIR, /tmp, /var/tmp, /dev/shm), each an empty tmpfs of its
   * own to a pull request's command: mounted among `system` by depth, so what lies inside one is bound over it.
   */
  privateTmp?: string[];
  /** Folders inside a read-only one that stay writable (the bundled staging server's PM2_HOME, to its daemon). */
  writable?: string[];
  /**
   * On a root runner, the top folders bound as they are but for their devices (each a mount of its own), so that `/`
   * itself is then read-only: its entries /bin, /lib, /lib64 and /sbin are links into /usr (the loader every program
   * starts with), which root could otherwise point elsewhere on the host; a new entry there is no command's to make.
   */
  top?: string[];
}

/**
 * A session and a PID namespace of its own, its own /proc, no capability, the kernel's settings read-only: what every
 * confinement is.
 * bubblewrap started by root keeps every capability in the sandbox unless told not to, and with CAP_SYS_ADMIN a
 * command undoes its confinement (`umount -l /proc` shows the host's /proc and the runner's environ; `mount -o
 * remount,bind,rw` makes a read-only bind writable). And root writes a sysctl or a sysfs file by its mode alone, no
 * capability asked: kernel.core_pattern's pipe, sysfs's uevent_helper are programs the kernel runs as root outside
 * every namespace, and /dev's block devices are the disks under every bind. Not root, bubblewrap drops the
 * capabilities itself (a setuid one refuses --cap-drop to a user), and the modes keep those files from the user.
 */
const NAMESPACES = [
  "--dev-bind",
  "/",
  "/",
  // A session of its own, with no controlling terminal: on the user's, TIOCSTI types a line into the shell that ran
  // the pipeline, which runs it once the pipeline ends, outside the sandbox.
  "--new-session",
  "--unshare-pid",
  "--proc",
  "/proc",
  ...(process.geteuid?.() === 0
    ? [
        "--cap-drop",
        "ALL",
        ...["/proc/sys", "/sys"].filter((p) => existsSync(p)).flatMap((p) => ["--ro-bind", p, p]),
        // A /dev of its own (null, zero, random, tty, pts, shm): root opens the host's devices by their mode alone,
        // a disk's block device (under every read-only bind) among them.
        "--dev",
        "/dev",
      ]
    : []),
];

/** The bubblewrap flags that confine a command, without the command: its namespaces, ended with its caller. */
const CONFINE = [...NAMESPACES, "--die-with-parent"];

/** How many folders deep `p` is. */
const depthOf = (p: string) => p.split("/").filter(Boolean).length;

/** The argv that runs `argv` in `cwd` confined by `bwrap`, with `hidden` masked. Pure. */
export function confinedArgv(bwrap: string, argv: string[], cwd: string, hidden: Hidden): string[] {
  return [bwrap, ...CONFINE, ...maskFlags(hidden), "--chdir", cwd, "--", ...argv];
}

/** The bubblewrap flags that mask and bind what `hidden` lists, in the order that makes each one hold. */
function maskFlags(hidden: Hidden): string[] {
  // Outer folders first: a temp folder's tmpfs under the system's, the runner's home (a test's, in /tmp) over /tmp's.
  const layers = [
    // Without their devices (bubblewrap's --bind is nodev): a device node lying in one (a container's /dev under the
    // home, a chroot's) would open the host's device, a disk's among them, as /dev's did.
    ...(hidden.top ?? []).map((p) => ({ p, flags: ["--bind", p, p] })),
    ...(hidden.system ?? []).map((p) => ({ p, flags: ["--ro-bind", p, p] })),
    ...(hidden.privateTmp ?? []).map((p) => ({ p, flags: ["--tmpfs", p] })),
  ].sort((a, b) => depthOf(a.p) - depthOf(b.p));
  return [
    ...layers.flatMap((l) => l.flags),
    ...(hidden.own ?? []).flatMap((p) => ["--bind", p, p]),
    ...(hidden.readOnly ?? []).flatMap((p) => ["--ro-bind", p, p]),
    ...(hidden.writable ?? []).flatMap((p) => ["--bind", p, p]),
    ...hidden.dirs.flatMap((d) => ["--tmpfs", d]),
    // /dev/null bound as a device: reads are empty, writes go nowhere, a socket refuses connections.
    ...hidden.files.flatMap((f) => ["--dev-bind", "/dev/null", f]),
    ...Object.entries(hidden.env ?? {}).flatMap(([k, v]) => ["--setenv", k, v]),
    // Last, once every mount point is made: only the root mount itself, not the folders bound above.
    ...(hidden.top ? ["--remount-ro", "/"] : []),
  ];
}

/**
 * What to mask for a command confined in `commandDir`, read now: every run's key dir under the temp dir, the
 * runner's `.env` in `cwd`, each private file or socket (no access for others) at an absolute path a runner variable
 * named `*_FILE` or `*_SOCK` holds (not the allow-listed ones, which repository commands are given), through its
 * links, and the credential stores in `home`; and what to make read-only: the startup files in `home` and this
 * pipeline's own files (unless the command runs in this checkout outside examples/: then they are its repository).
 */
export function hiddenPaths(
  runner: Record<string, string | undefined>,
  tmp = tmpdir(),
  cwd = process.cwd(),
  home = runner.HOME,
  commandDir?: string,
  scope?: ScopeDirs,
): Hidden {
  const dirs: string[] = [];
  // Absolute: bubblewrap would read a relative TMPDIR's mount points from /, masking other folders than the runner's.
  tmp = realOf(tmp) ?? resolve(tmp);
  // The key holder whole, so a key dir a run makes after the command started is not seen either (repositoryArgv
  // makes the holder first); and any key dir an older version made in the temp dir itself.
  const holder = join(tmp, keyHolderName(process.getuid?.() ?? 0));
  if (kindOf(holder) === "dir") dirs.push(holder);
  for (const name of safeReaddir(tmp))
    if (name.startsWith(KEY_DIR_PREFIX) && kindOf(join(tmp, name)) === "dir") dirs.push(join(tmp, name));
  const inHome = (names: readonly string[]) => (home && isAbsolute(home) ? names.map((n) => join(home, n)) : []);
  const stores = inHome(CREDENTIAL_STORES).filter((p) => kindOf(p) !== undefined);
  for (const p of stores) if (kindOf(p) === "dir") dirs.push(p);
  // One the user has not got is masked too, so a command cannot create it: sshd runs ~/.ssh/rc at each login, the
  // bundled staging server's included, outside the sandbox. bubblewrap leaves an empty folder or file: none held.
  const absentStores = inHome(CREDENTIAL_STORES).filter((p) => kindOf(p) === undefined && writableAncestor(p));
  for (const p of absentStores) if (!CREDENTIAL_FILES.has(relative(home!, p))) dirs.push(p);
  // The runner's settings come from its environment, its `.env` and the bundled staging server's deploy.env
  // (scripts/host/target.ts deployEnv): a key file named in either file is as secret as one named in the environment.
  const settings = [join(cwd, ".env"), join(PIPELINE_ROOT, ".env"), stagingDeployEnv(runner)].map(settingsIn);
  const named = [Object.entries(runner), ...settings]
    .flat()
    .filter(([k, v]) => /_(FILE|SOCK)$/.test(k) && !isAllowedRunnerVariable(k) && !!v)
    // A relative one names a file in the folder the runner runs in, where a deploy reads it (STAGING_SSH_KEY_FILE=key).
    .map(([k, v]) => ({ secret: SECRET_FILE_VARIABLE.test(k), path: resolve(cwd, v!) }));
  const files = new Set<string>(stores.filter((p) => kindOf(p) === "file"));
  for (const p of absentStores) if (CREDENTIAL_FILES.has(relative(home!, p))) files.add(p);
  // In a GitHub Actions step, the files the runner reads after the step to set later steps' environment and PATH
  // (a NODE_OPTIONS there would run code in the next step's deploy): masked whatever their mode.
  for (const n of FILE_COMMANDS) {
    const real = runner[n] && isAbsolute(runner[n]) ? realOf(runner[n]) : undefined;
    if (real && kindOf(real) === "file") files.add(real);
  }
  // The runner's state: this checkout's .pipeline and the bundled staging server's folder. Read-only (below), and its
  // private files and folders (the server's deploy key, which logs in over the loopback sshd outside the sandbox; its
  // deploy.env; the app's secrets) read as empty, its sockets (PM2's daemon starts what it is asked to) refuse.
  // (The default staging folder lies inside .pipeline: each folder is walked once.)
  const staging = stagingServerDir(runner);
  const roots = [join(PIPELINE_ROOT, ".pipeline"), staging]
    .map((p) => realOf(p))
    .filter((p): p is string => !!p && kindOf(p) === "dir");
  const state = [...new Set(roots)].filter((p) => !roots.some((q) => q !== p && isInside(p, q)));
  for (const root of state) {
    const found = privateIn(root);
    dirs.push(...found.dirs);
    for (const f of found.files) files.add(f);
  }
  const dotenv = realOf(join(cwd, ".env"));
  if (dotenv && kindOf(dotenv) === "file") files.add(dotenv);
  // The bundled staging server's sshd runs on this machine, outside the sandbox, as this user: its deploy key (and host
  // key) would be a way out, and its deploy.env holds the app's secrets. Its folder is the runner's state, read-only.
  // Its PM2 daemon's folder too: a command reaching its rpc.sock has the daemon start any process, outside the sandbox.
  for (const d of ["ssh", "pm2"].map((n) => realOf(join(staging, n)))) if (d && kindOf(d) === "dir") dirs.push(d);
  const stagingEnv = realOf(stagingDeployEnv(runner));
  if (stagingEnv && kindOf(stagingEnv) === "file") files.add(stagingEnv);
  // Only a private one (no access for others, as ssh demands of a key and ssh-agent makes its socket): a variable
  // such as NIX_SSL_CERT_FILE names the system's CA bundle, which repository commands need. But one whose name says
  // it holds a key or a secret whatever its mode: the runner gives ssh its own 0600 copy, so a key left 0644 deploys.
  for (const { secret, path } of named) {
    const real = realOf(path);
    if (real && kindOf(real) === "file" && (secret || isPrivate(real))) files.add(real);
  }
  const own =
    commandDir && isInside(commandDir, PIPELINE_ROOT) && !isInside(commandDir, join(PIPELINE_ROOT, "examples"))
      ? []
      : PIPELINE_FILES.map((n) => join(PIPELINE_ROOT, n));
  // A startup file or folder the user has not got is masked too, so a command cannot create one (an empty file or
  // folder is left outside, which reads as none); but not the login shell's .bash_profile and .bash_login, whose
  // mere presence would stop bash reading ~/.profile.
  for (const p of inHome(STARTUP_FILES).filter((p) => !existsSync(p) && !LOGIN_ONLY.has(relative(home!, p))))
    if (!writableAncestor(p)) continue;
    else if (STARTUP_DIRS.has(relative(home!, p))) dirs.push(p);
    else files.add(p);
  const onPath = foldersOf(pathDirs(runner.PATH), commandDir);
  const modules = foldersOf(nodeFallbacks(runner.NODE_PATH, home), commandDir);
  const programs = [...onPath.present, ...(own.length > 0 ? [join(PIPELINE_ROOT, ".tools/bin")] : [])];
  const ownPlaces = [home, tmp, commandDir].filter((p): p is string => !!p && isAbsolute(p));
  const readOnly = [
    ...inHome(STARTUP_FILES),
    ...own,
    ...onPath.present,
    ...behind(programs).filter((d) => !ownPlaces.some((p) => isInside(p, d))),
    ...modules.present,
    ...state,
    ...gitDirsOf(commandDir),
  ].filter((p) => existsSync(p) && !isInside(commandDir ?? "", p));
  // What the runner runs later that a command could create instead: a PATH folder or a folder of Node's fallbacks
  // not there yet (a throwaway tmpfs in the sandbox; bubblewrap leaves it empty outside), and tsx's transform cache,
  // which the runner's next `tsx scripts/pipeline.ts` loads by name (its own, empty, in the sandbox).
  dirs.push(...[...onPath.absent, ...modules.absent].filter((d) => !readOnly.some((r) => isInside(d, r))));
  dirs.push(join(tmp, `tsx-${process.getuid?.() ?? 0}`), join(tmp, "tsx"));
  // The runner reads its settings from this `.env` (and the bundled staging server's, under .pipeline, read-only
  // above): hidden even when there is none yet, so a command cannot write one a later deploy would read. bubblewrap
  // leaves an empty file there (git ignores .env), which reads as no settings.
  if (own.length > 0) files.add(join(PIPELINE_ROOT, ".env"));
  // The system's folders, read-only even to a runner that is root (no other user can write them anyway): /etc holds
  // git's and the loader's config (/etc/gitconfig, /etc/ld.so.preload), /usr the programs and npm's own code. And this
  // pipeline's checkout whole, not only the files listed above: npm reads an `.npmrc` there (its `node-options` would
  // run in the next `npm run pipeline`). What the command works in stays its own where it lies in one of them (for
  // this checkout, its examples). A mask that is not there yet cannot be made in a read-only folder, and the command
  // cannot make that path either.
  // A pull request's command (cacheScope.ts) has a home and a temp dir of its own; the runner's home is read-only to
  // it, so nothing it writes there (a package cache, a tool's data) is read by another branch's run.
  const realHome = scope && home && isAbsolute(home) ? realOf(home) : undefined;
  const examples = join(PIPELINE_ROOT, "examples");
  // The temp folders every run shares are empty and its own to a pull request's command: what it writes there by a
  // fixed name (jest's transform cache in $TMPDIR/jest_<uid>, which jest runs) is never read by another branch's run.
  const sharedTmp = scope
    ? [...new Set([tmp, ...SHARED_TMP].map((p) => realOf(p)))].filter(
        (p): p is string => !!p && p !== "/" && kindOf(p) === "dir",
      )
    : [];
  // And every other folder of the machine is read-only to it: on a root runner it could otherwise write /run, /mnt or
  // a self-hosted runner's own folder (the actions' code the job's later steps run).
  const system = [
    ...new Set([
      ...SYSTEM_DIRS.filter((d) => kindOf(d) === "dir"),
      ...(own.length > 0 ? [PIPELINE_ROOT] : []),
      ...(realHome && kindOf(realHome) === "dir" ? [realHome] : []),
      ...(scope ? topFolders().filter((d) => !sharedTmp.includes(d)) : []),
    ]),
  ].sort((a, b) => a.length - b.length);
  const privateTmp = sharedTmp.filter((p) => !system.includes(p));
  const layers = [...system, ...privateTmp];
  const work = commandDir && isInside(commandDir, examples) ? examples : workTreeOf(commandDir);
  const keep = (scope ? [scope.home, scope.tmp, work] : [home, tmp, work, "/var/tmp"]).filter(
    (p): p is string => !!p && isAbsolute(p) && kindOf(p) === "dir" && layers.some((d) => isInside(p, d)),
  );
  const creatable = (p: string) =>
    existsSync(p) || !system.some((d) => isInside(p, d)) || keep.some((k) => isInside(p, k));
  // A folder already read-only as part of another (or of the system, outside what stays the command's) needs no bind.
  const covered = (p: string, by: string[]) => by.some((q) => q !== p && isInside(p, q));
  const inSystem = (p: string) => covered(p, system) && !keep.some((k) => isInside(p, k));
  // Root writes `/` itself (a user cannot): every top folder not bound above is bound as it is, then `/` read-only.
  // Not /proc and /dev (the sandbox's own) or /sys (read-only to root: NAMESPACES).
  const top =
    process.geteuid?.() === 0
      ? rootEntries().filter((d) => !["/proc", "/sys", "/dev"].includes(d) && !layers.includes(d))
      : undefined;
  return {
    dirs: [...new Set(dirs)].filter(creatable),
    files: [...files].filter(creatable),
    readOnly: [...new Set(readOnly)].filter((p) => !covered(p, readOnly) && !inSystem(p)),
    system,
    own: [...new Set(keep)],
    ...(top ? { top } : {}),
    ...(scope ? { env: scopeEnv(scope, runner, home), privateTmp } : {}),
  };
}

/** A pull request's own home and temp dir (cacheScope.ts), under the runner's home. */
export interface ScopeDirs {
  home: string;
  tmp: string;
}

/**
 * What a scoped command is given: its own HOME and temp dir, and the version managers' roots at their defaults in the
 * runner's home (pyenv's shims find their interpreters through PYENV_ROOT, which defaults to ~/.pyenv), read-only.
 */
export function scopeEnv(scope: ScopeDirs, runner: Record<string, string | undefined>, home = runner.HOME) {
  const env: Record<string, string> = { HOME: scope.home, TMPDIR: scope.tmp, TMP: scope.tmp, TEMP: scope.tmp };
  for (const [name, dir] of Object.entries(MANAGER_ROOTS)) {
    const root = home && isAbsolute(home) ? join(home, dir) : undefined;
    if (!runner[name] && root && kindOf(realOf(root) ?? "") === "dir") env[name] = root;
  }
  return env;
}

/** Version managers whose shims find their versions under a root that defaults to a folder of the home. */
const MANAGER_ROOTS: Record<string, string> = { PYENV_ROOT: ".pyenv", VOLTA_HOME: ".volta", ASDF_DATA_DIR: ".asdf" };

/**
 * The runner's home: HOME when absolute, else the user's (the password file's), where node, npm, uv and git look
 * when HOME is unset; none when neither is absolute.
 */
export function runnerHome(runner: Record<string, string | undefined>): string | undefined {
  if (runner.HOME && isAbsolute(runner.HOME)) return runner.HOME;
  try {
    const home = userInfo().homedir;
    return home && isAbsolute(home) ? home : undefined;
  } catch {
    return undefined;
  }
}

/** Where the pull requests' own homes are kept: in the runner's cache folder, else its temp dir. */
export function scopesRoot(runner: Record<string, string | undefined>, tmp = tmpdir()): string {
  const home = runnerHome(runner);
  return home
    ? join(home, ".cache", "pipeline-scopes")
    : join(realOf(tmp) ?? resolve(tmp), `pipeline-scopes-${process.getuid?.() ?? 0}`);
}

/**
 * The folders of scope `name` under `root`, made (private) and marked used now; the scopes beyond the KEEP_SCOPES most
 * recently used are deleted (their links not followed), the current one never.
 */
export function enterScopeDirs(root: string, name: string, keep?: number): ScopeDirs {
  if (!/^pr(-[a-z0-9-]+)?$/.test(name)) throw new Error(`not a cache scope: ${printable(name)}`);
  const dir = join(root, name);
  const dirs = { home: join(dir, "home"), tmp: join(dir, "tmp") };
  for (const d of [dirs.home, dirs.tmp]) mkdirSync(d, { recursive: true, mode: 0o700 });
  const now = new Date();
  utimesSync(dir, now, now);
  const kept = safeReaddirEntries(root)
    .filter((e) => e.isDirectory() && e.name !== name)
    .map((e) => ({ name: e.name, usedAt: lstatSync(join(root, e.name)).mtimeMs }));
  for (const old of scopesToPrune(kept, Math.max(0, (keep ?? KEEP_SCOPES) - 1)))
    rmSync(join(root, old), { recursive: true, force: true });
  return dirs;
}

/**
 * Take the checkout holding `dir` for a run in cache scope `scope` (a pull request's; none: the shared one). A pull
 * request's commands write its checkout (node_modules, .venv, .next, __pycache__, any file), and `git checkout` keeps
 * what git does not track: a `backend/conftest.py` its lint left ran in the next push's pytest, in the shared caches.
 * So the runner notes, in the scopes' folder (read-only to every scoped command), which pull request's run last used
 * each git checkout; a run in another scope there is an input error while the checkout still holds untracked, ignored
 * or changed files. A checkout that is not a git work tree cannot be told clean, and is not noted.
 */
export function claimCheckout(
  dir: string,
  scope: string | undefined,
  runner: Record<string, string | undefined>,
): void {
  const dotGit = gitDirsOf(realOf(dir) ?? resolve(dir))[0];
  const work = dotGit && dirname(dotGit);
  // This pipeline's own checkout (its examples are fixtures, not a pull request's) is not noted.
  if (!work || work === PIPELINE_ROOT) return;
  const root = scopesRoot(runner);
  const note = join(root, `checkout-${createHash("sha256").update(work).digest("hex").slice(0, 32)}`);
  const last = readNote(note);
  if (last !== undefined && last !== scope) {
    // git asks each populated submodule for its state with a git of its own, which obeys that submodule's config
    // (core.fsmonitor runs a command): the pull request's command could have made `sub/.git` itself. So no git runs in
    // a submodule (whatever .gitmodules says) and none reads an fsmonitor; a submodule's folder holding anything counts
    // as left there (a checkout leaves it empty unless asked for submodules: then only a fresh clone is known clean).
    const git = (args: string[]) =>
      spawnSync("git", ["-c", "core.fsmonitor=false", "-C", work, ...args], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        maxBuffer: 256 * 1024 * 1024,
      });
    const left = git(["status", "--porcelain", "--ignored", "--untracked-files=normal", "--ignore-submodules=all"]);
    const filled = populatedSubmodules(work, git(["ls-files", "--stage", "-z"]));
    if (filled.length > 0)
      throw new InputError(
        `${printable(work)} was used by a pull request's run (${last}), and its submodule folder ${printable(join(work, filled[0]))} ` +
          `holds files (a repository of its own, whose config git obeys, or any file) that run could have left. ` +
          `Fix: rm -rf ${printable(join(work, filled[0]))} && mkdir ${printable(join(work, filled[0]))} (for each such submodule; git clean does not empty one), or use a fresh clone`,
      );
    if (left.status !== 0 || left.stdout.trim() !== "")
      throw new InputError(
        `${printable(work)} was used by a pull request's run (${last}): the files it left or changed there ` +
          `(node_modules, .venv, .next, __pycache__, any untracked file) would run in this ${scope ? `pull request's run (${scope})` : "run"}. ` +
          `Fix: git -C ${printable(work)} clean -ffdx && git -C ${printable(work)} checkout -- . (deletes them), or use a fresh clone`,
      );
  }
  if (scope === undefined) {
    if (last !== undefined) rmSync(note, { force: true });
    return;
  }
  mkdirSync(root, { recursive: true, mode: 0o700 });
  writeFileSync(note, `${scope}\n${work}\n`, { mode: 0o600 });
}

/**
 * The submodules (gitlinks in `work`'s index, as `git ls-files --stage -z` lists them) whose folder holds anything,
 * read without git; an index git could not list counts as one (the checkout cannot be told clean).
 */
function populatedSubmodules(work: string, listed: { status: number | null; stdout: string }): string[] {
  if (listed.status !== 0) return ["."];
  const links = listed.stdout
    .split("\0")
    .filter((e) => e.startsWith("160000 "))
    .map((e) => e.slice(e.indexOf("\t") + 1));
  return links.filter((p) => {
    const at = join(work, p);
    try {
      return !lstatSync(at).isDirectory() || readdirSync(at).length > 0;
    } catch (e) {
      // Not there: nothing left. Unreadable: not known to be empty.
      return (e as NodeJS.ErrnoException).code !== "ENOENT";
    }
  });
}

/** The scope a checkout's note names, or none. */
function readNote(note: string): string | undefined {
  try {
    return readFileSync(note, "utf8").split("\n")[0] || undefined;
  } catch {
    return undefined;
  }
}

const scopeContext = new AsyncLocalStorage<string | undefined>();

/** Run `fn` with every repository command it starts in cache scope `scope` (a job's or scan's); none: shared. */
export function inCacheScope<T>(scope: string | undefined, fn: () => T): T {
  return scopeContext.run(scope, fn);
}

/**
 * Where the runner puts files for a repository command started now (a scan's scratch, a step's Python module): the
 * cache scope's own temp dir, which its command sees (the shared temp folders are empty to it), else the runner's.
 */
export function commandTmpdir(runner: Record<string, string | undefined> = process.env): string {
  const name = scopeContext.getStore();
  return name === undefined ? tmpdir() : enterScopeDirs(scopesRoot(runner), name).tmp;
}

/**
 * Under `root` (its links not followed, `depth` folders down): the private folders (no access for others) and the
 * private files and every socket or FIFO outside them.
 */
function privateIn(root: string, depth = 6): { dirs: string[]; files: string[] } {
  const out = { dirs: [] as string[], files: [] as string[] };
  for (const e of safeReaddirEntries(root)) {
    const p = join(root, e.name);
    if (e.isDirectory()) {
      if (isPrivate(p)) out.dirs.push(p);
      else if (depth > 1) {
        const inner = privateIn(p, depth - 1);
        out.dirs.push(...inner.dirs);
        out.files.push(...inner.files);
      }
    } else if (e.isSocket() || e.isFIFO() || (e.isFile() && isPrivate(p))) out.files.push(p);
  }
  return out;
}

/** The machine's top folders, but the kernel's own (/proc and /dev, which every confinement mounts itself). */
function topFolders(): string[] {
  return rootEntries().filter((p) => p !== "/proc" && p !== "/dev");
}

/** The folders (not links) in `/`. */
function rootEntries(): string[] {
  try {
    return readdirSync("/")
      .map((n) => `/${n}`)
      .filter((p) => kindOf(p) === "dir");
  } catch {
    return [];
  }
}

/** The temp folders every program of the user shares (besides the runner's TMPDIR). */
const SHARED_TMP = ["/tmp", "/var/tmp", "/dev/shm"];

/** The system's folders (those that are folders here, not links into /usr). */
const SYSTEM_DIRS = ["/usr", "/etc", "/opt", "/var", "/srv", "/boot", "/bin", "/sbin", "/lib", "/lib32", "/lib64"];

/** The top of the checkout `dir` is in (its .git's folder), else `dir` itself. */
function workTreeOf(dir: string | undefined): string | undefined {
  const dotGit = gitDirsOf(dir)[0];
  return dotGit ? dirname(dotGit) : dir;
}

/**
 * Where the user keeps credentials (or a daemon's door out of the sandbox) a repository command has no use for:
 * hidden (tmpfs, /dev/null) when present.
 */
const CREDENTIAL_STORES = [
  ".ssh",
  ".aws",
  ".azure",
  ".config/gcloud",
  ".config/gh",
  ".docker",
  ".kube",
  ".gnupg",
  ".git-credentials",
  ".netrc",
  // PM2's own home when no PM2_HOME is set: its daemon, outside the sandbox, starts any command its sockets are given.
  ".pm2",
];

/** Of CREDENTIAL_STORES, the files (masked with /dev/null where the user has none; the others are folders). */
const CREDENTIAL_FILES = new Set([".git-credentials", ".netrc"]);

/**
 * What programs the runner starts outside the sandbox read at start (the shell, npm, git, ssh through ~/.ssh above)
 * or find on PATH: read-only, so a repository command cannot plant code that a later run executes with its secrets.
 * The package managers' own config stays readable (a registry and its token are what `npm ci` needs).
 */
const STARTUP_FILES = [
  ".bashrc",
  ".bash_profile",
  ".bash_login",
  ".profile",
  ".zshrc",
  ".zshenv",
  ".zprofile",
  ".gitconfig",
  ".config/git",
  ".npmrc",
  ".yarnrc",
  ".yarnrc.yml",
  ".pypirc",
  ".config/pip",
  ".config/uv",
  ".local/bin",
  "bin",
];

/** GitHub Actions' file commands: the variables naming them. */
const FILE_COMMANDS = ["GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_STEP_SUMMARY"];

/** Of STARTUP_FILES, the folders (masked with a tmpfs where the user has none), and those left alone where absent. */
const STARTUP_DIRS = new Set([".config/git", ".config/pip", ".config/uv", ".local/bin", "bin"]);
const LOGIN_ONLY = new Set([".bash_profile", ".bash_login"]);

/** This pipeline's checkout, and the files of it that run as the runner: read-only to repository commands. */
const PIPELINE_ROOT = resolve(import.meta.dirname, "../..");

/** A `*_FILE` variable naming a key or a secret (STAGING_SSH_KEY_FILE, a `*_TOKEN_FILE`), masked whatever its mode. */
const SECRET_FILE_VARIABLE = /(KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIALS?)_FILE$/;
const PIPELINE_FILES = [
  "scripts",
  "ci",
  "node_modules",
  ".tools",
  ".github",
  ".ci",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "dagger.json",
  // The runner's state: the bundled staging server's deploy.env, pinned known_hosts, reports, E2E records.
  ".pipeline",
];

/** The absolute folders on a PATH-like list. */
function pathDirs(path: string | undefined): string[] {
  return (path ?? "").split(delimiter).filter((d) => isAbsolute(d));
}

/**
 * Where the runner's own node looks for a module its code asks for and its node_modules lacks (tsx's CLI asks for
 * `fsevents`, absent on Linux, at every start): NODE_PATH's folders, each node_modules above this checkout,
 * ~/.node_modules, ~/.node_libraries and <prefix>/lib/node. A module planted there would run in the runner.
 */
function nodeFallbacks(nodePath: string | undefined, home: string | undefined): string[] {
  const above: string[] = [];
  for (let d = dirname(PIPELINE_ROOT); ; d = dirname(d)) {
    above.push(join(d, "node_modules"));
    if (d === dirname(d)) break;
  }
  const inHome = home && isAbsolute(home) ? [join(home, ".node_modules"), join(home, ".node_libraries")] : [];
  return [...pathDirs(nodePath), ...above, ...inHome, resolve(dirname(process.execPath), "../lib/node")];
}

/**
 * What the programs in `folders` (PATH's) run from elsewhere: the real folder of each link there (.tools/bin/uv is a
 * link into ~/.pyenv/versions/…/bin), the `lib` beside each (its prefix's, where npm's own code is), and the root of a
 * version manager whose `shims` folder it is (pyenv's shims run its libexec, its hooks and its versions).
 */
function behind(folders: string[]): string[] {
  const out = new Set<string>();
  for (const d of folders) {
    if (basename(d) === "shims") out.add(dirname(d));
    // What its programs link to or load by a relative path: bin/npm -> ../lib/node_modules/npm/bin/npm-cli.js (nvm,
    // /usr/local), whose other files npm loads from there.
    const lib = realOf(join(dirname(d), "lib"));
    if (lib) out.add(lib);
    for (const e of safeReaddirEntries(d)) {
      if (!e.isSymbolicLink()) continue;
      const real = realOf(join(d, e.name));
      if (real && kindOf(real) === "file") out.add(dirname(real));
    }
  }
  return [...out].filter((d) => kindOf(d) === "dir" && !folders.some((f) => isInside(d, f)));
}

function safeReaddirEntries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * Of `folders` (outside the command's folder, through their links): those there, to bind read-only, and those not
 * there yet that the user could create (their nearest folder there is writable), to mask.
 */
function foldersOf(folders: string[], commandDir?: string): { present: string[]; absent: string[] } {
  const present = new Set<string>();
  const absent = new Set<string>();
  for (const d of folders) {
    if (commandDir && isInside(d, commandDir)) continue;
    const real = realOf(d);
    if (real) {
      if (kindOf(real) === "dir") present.add(real);
    } else if (writableAncestor(d)) absent.add(resolve(d));
  }
  return { present: [...present], absent: [...absent] };
}

function writableAncestor(p: string): boolean {
  for (let d = dirname(resolve(p)); ; d = dirname(d)) {
    if (existsSync(d)) {
      try {
        accessSync(d, constants.W_OK);
        return true;
      } catch {
        return false;
      }
    }
    if (d === dirname(d)) return false;
  }
}

/**
 * Whether a repository command confined in `commandDir` finds `path` masked: a file it reads as empty, or one inside a
 * folder it sees empty (a key a runner variable names, the runner's `.env`, the key holder, the runner's private
 * state). The runner must not read such a file on the command's behalf, through a link the command left.
 */
export function maskedFromRepository(path: string, commandDir: string, runner = process.env): boolean {
  const real = realOf(path) ?? resolve(path);
  const h = hiddenPaths(runner, tmpdir(), process.cwd(), confinedHome(runner), commandDir);
  const reals = (ps: string[]) => ps.map((p) => realOf(p) ?? resolve(p));
  return reals(h.files).includes(real) || reals(h.dirs).some((d) => isInside(real, d));
}

/** Whether `p` is `dir` or inside it. */
function isInside(p: string, dir: string): boolean {
  const r = relative(dir, p);
  return p !== "" && !r.startsWith("..") && !isAbsolute(r);
}

function isPrivate(p: string): boolean {
  try {
    return (statSync(p).mode & 0o007) === 0;
  } catch {
    return false;
  }
}

/**
 * Every assignment a dotenv file makes, or none when it is not a readable regular file (a FIFO there would block).
 * Each one, not only the last dotenv keeps: a deploy refuses a file that sets a key twice, but the stages that need no
 * target still run, and the key file an older line names is as secret as the newer one's.
 */
function settingsIn(file: string): [string, string][] {
  try {
    return dotenvAssignments(readSettingsFile(file, file) ?? "").map(({ key, value }) => [key, value]);
  } catch {
    return [];
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function realOf(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** "dir" for a folder (not a link to one), "file" for anything else bwrap can bind over (files, sockets), or none. */
function kindOf(p: string): "dir" | "file" | undefined {
  try {
    const s = lstatSync(p);
    if (s.isDirectory()) return "dir";
    return s.isFile() || s.isSocket() || s.isFIFO() ? "file" : undefined;
  } catch {
    return undefined;
  }
}

/** The key holder in `tmp`, made private if missing (a deploy checks it before use: scripts/host/target.ts). */
function makeKeyHolder(tmp: string): void {
  try {
    mkdirSync(join(realOf(tmp) ?? tmp, keyHolderName(process.getuid?.() ?? 0)), { mode: 0o700 });
  } catch {
    // There already, or the temp dir cannot be written: then no run keeps a key there either.
  }
}

/** Whether bwrap confines here (installed, and namespaces allowed), with the reason when it does not. */
export function probeSandbox(bwrap = "bwrap"): { ok: true } | { ok: false; why: string } {
  const r = spawnSync(bwrap, [...CONFINE, "--", "true"], { stdio: ["ignore", "ignore", "pipe"], timeout: 10_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return { ok: false, why: code === "ENOENT" ? `${bwrap} is not installed` : `${bwrap} did not start (${code})` };
  }
  if (r.status === 0) return { ok: true };
  const said = r.stderr.toString().trim().split("\n")[0];
  return { ok: false, why: `${bwrap} cannot confine here${said ? ` (${said})` : ""}` };
}

let probed: ReturnType<typeof probeSandbox> | undefined;
let warned = false;

/**
 * The argv that runs a repository command on this runner: confined when PIPELINE_SANDBOX and the machine allow it.
 * `auto` on a machine without bubblewrap warns once on stderr; `require` throws an InputError there instead.
 */
export function repositoryArgv(
  argv: string[],
  cwd: string,
  runner: Record<string, string | undefined> = process.env,
): string[] {
  const mode = sandboxMode(runner);
  const name = scopeContext.getStore();
  const scope = name === undefined ? undefined : enterScopeDirs(scopesRoot(runner), name);
  // Unconfined, a pull request's command still gets its own home and temp dir, so its caches stay apart by default.
  const home = confinedHome(runner);
  const scoped = (a: string[]) => (scope ? ["env", ...envArgs(scopeEnv(scope, runner, home)), ...a] : a);
  if (!confines(mode)) return scoped(argv);
  prepare();
  return confinedArgv("bwrap", argv, cwd, hiddenPaths(runner, tmpdir(), process.cwd(), home, cwd, scope));
}

/** The runner's home (runnerHome) through its links: bubblewrap makes a mask's mount point without following them. */
function confinedHome(runner: Record<string, string | undefined>): string | undefined {
  const given = runnerHome(runner);
  return given && (realOf(given) ?? given);
}

/** Made before a confinement is worked out, so that it masks them rather than leaves them free to create. */
function prepare(): void {
  // Made first, so that it is read-only to the command rather than absent and free to create.
  mkdirSync(join(PIPELINE_ROOT, ".pipeline"), { recursive: true });
  // Made first too, so that the command gets its own empty one, not a view of the runs' key dirs to come.
  makeKeyHolder(tmpdir());
}

/**
 * The bubblewrap flags (bwrap first; no command, no --chdir) that confine the bundled staging server's PM2 daemon, so
 * every app a deploy starts there, and the `pm2` commands that evaluate a release's ecosystem file, as a repository
 * command is: its own PID namespace, the key holder, the runner's settings and key files, the credential stores and
 * the server's own deploy key and deploy.env masked, the runner's state read-only. What the server's PM2 needs stays:
 * its PM2_HOME (sockets, logs) writable, the app secrets a deploy writes to DEPLOY_BASE/shared/env readable.
 * No --die-with-parent: the daemon outlives the `pm2` that started it. Read now (the server's start); none when
 * repository commands are not confined here (PIPELINE_SANDBOX, bubblewrap).
 */
export function stagingAppFlags(
  server: { dir: string; pm2Home: string; base: string },
  runner: Record<string, string | undefined> = process.env,
): string[] | undefined {
  return stagingFlags(server, [server.pm2Home], runner);
}

/**
 * The bubblewrap flags (bwrap first; no command, no --chdir, no --die-with-parent) for the repository code a deploy
 * runs on the bundled staging server besides the app: `uv sync` (which may build the project) and deploy.migrate. As
 * stagingAppFlags, but the server's PM2_HOME stays masked (the daemon starts what its sockets are given) and only
 * `cache` (the server's uv cache, in its sessions' home, which stays read-only: sshd's bash reads its startup files
 * outside the sandbox) is writable; the release dir each runs in is bound writable by the caller (configs.ts
 * confineWrapper). Read now; none when repository commands are not confined here.
 */
export function stagingRepositoryFlags(
  server: { dir: string; base: string; cache: string },
  runner: Record<string, string | undefined> = process.env,
): string[] | undefined {
  return stagingFlags(server, [server.cache], runner);
}

/** The bundled staging server's confinement with `writable` (which must exist) bound writable. */
function stagingFlags(
  server: { dir: string; base: string },
  writable: string[],
  runner: Record<string, string | undefined>,
): string[] | undefined {
  if (!confines(sandboxMode(runner))) return undefined;
  prepare();
  const home = confinedHome(runner);
  const h = hiddenPaths({ ...runner, STAGING_SERVER_DIR: server.dir }, tmpdir(), process.cwd(), home);
  const open = writable.map((p) => realOf(p) ?? resolve(p));
  const env = join(realOf(server.base) ?? resolve(server.base), "shared/env");
  const kept = (p: string) => !open.some((o) => isInside(p, o)) && !isInside(p, env);
  const hidden = { ...h, dirs: h.dirs.filter(kept), files: h.files.filter(kept), writable: open };
  return ["bwrap", ...NAMESPACES, ...maskFlags(hidden)];
}

/**
 * Whether repository commands are confined in `mode` here. `auto` on a machine without bubblewrap warns once on
 * stderr; `require` throws an InputError there instead.
 */
function confines(mode: SandboxMode): boolean {
  if (mode === "off") return false;
  probed ??= probeSandbox();
  if (probed.ok) return true;
  if (mode === "require")
    throw new InputError(
      `PIPELINE_SANDBOX is require, but repository commands cannot be confined: ${probed.why}. Fix: install bubblewrap (sudo apt-get install bubblewrap; scripts/setup.sh does), or run on the Dagger path (dagger call …)`,
    );
  if (!warned) {
    warned = true;
    process.stderr.write(
      `warning: repository commands run unconfined: ${probed.why}. They get only the allow-listed environment, but can read this runner's processes and key files. Fix: install bubblewrap (scripts/setup.sh does), or run untrusted code with dagger call; PIPELINE_SANDBOX=off silences this\n`,
    );
  }
  return false;
}

/** `NAME=value` arguments for env(1). */
function envArgs(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}
