/**
 * Deploy settings for the host runner, from the environment, `.env` (dotenv) and, for staging,
 * the bundled staging server's deploy.env. Every missing or bad value fails here, before any side effect.
 */
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { $ } from "zx";
import { parse } from "dotenv";
import { DeployInputError, validateTarget, type DeployTarget } from "../../ci/src/plan/deploy/stage";
import { appSecretsProblem, isAppSecretName, publicUrlProblem } from "../../ci/src/plan/deploy/request";
import { KEY_DIR_PREFIX, keyHolderName } from "../../ci/src/plan/deploy/ssh";
import { normalisePrivateKey, pastedKeyProblem } from "../../ci/src/plan/deploy/sshKey";
import { printable } from "../../ci/src/plan/triggers/commits";
import { InputError } from "../../ci/src/plan/errors";
import { stagingDeployEnv } from "./staging/dir";
import { atUntrappedStop } from "./untrappedStop";

const ROOT = resolve(import.meta.dirname, "../..");

/** A resolved target: where, how to log in, the app secrets, and temp files to delete afterwards. */
export interface TargetSettings {
  target: DeployTarget;
  keyFile: string;
  knownHostsFile: string;
  controlDir: string;
  /** The key and known_hosts files a person can name in a command typed by hand (they outlive this run). */
  typed: { keyFile: string; knownHostsFile: string };
  publicUrl: string;
  secrets: Record<string, string>;
  dispose(): void;
}

/** A port written in digits, 1 to 65535; `0x16`, ` 22` or `22e0` are not (Number() would take them). */
function portOf(name: string, v: string): number {
  const n = /^[0-9]{1,5}$/.test(v) ? Number(v) : NaN;
  if (n >= 1 && n <= 65535) return n;
  throw new DeployInputError(name, `is "${printable(v)}", not a TCP port`, "set it to a port from 1 to 65535, e.g. 22");
}

/** The app secret's name `name` most likely meant (`database_uri` → DATABASE_URI), for the fix of a message. */
function secretNameLike(name: string): string {
  const upper = name.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
  return isAppSecretName(upper) ? upper : "API_KEY";
}

/** The most a settings file (.env, deploy.env, a key or known_hosts an X_FILE names) holds: 4 MiB. */
export const SETTINGS_FILE_MAX = 4 * 1024 * 1024;

/**
 * The text of the settings file at `path`, or undefined when nothing is there: `.env`, the bundled server's
 * deploy.env, the file an X_FILE names (a link is followed: the user's own choice). Only a regular file is read, opened
 * without blocking: a FIFO (or /dev/stdin) would block the run for ever, /dev/zero never ends, and a folder threw
 * EISDIR with a stack trace. Anything else, or a file over SETTINGS_FILE_MAX, is a DeployInputError naming `name`.
 */
export function readSettingsFile(path: string, name: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new DeployInputError(name, `cannot be read (${code})`, `make ${printable(path)} a file you can read`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      throw new DeployInputError(
        name,
        `is a ${st.isDirectory() ? "folder" : st.isFIFO() ? "FIFO" : st.isSocket() ? "socket" : "device"}, not a file`,
        "use a regular file (save what a pipe or process substitution gives to a file first)",
      );
    if (st.size > SETTINGS_FILE_MAX)
      throw new DeployInputError(
        name,
        `is ${st.size} bytes, more than a settings file's 4 MiB`,
        "point it at the right file",
      );
    // The bound is on what is read, not on the size stat gives: a procfs file's is 0 (/proc/self/pagemap never ends).
    // Read in 64 KiB pieces (pagemap takes only multiples of 8); a read that fails (EIO on FUSE) is named, not a trace.
    // Piece by piece, not into one 4 MiB buffer: the sandbox reads .env and deploy.env before every confined command.
    const pieces: Buffer[] = [];
    let got = 0;
    for (let n = -1; n !== 0 && got <= SETTINGS_FILE_MAX; got += n) {
      const piece = Buffer.allocUnsafe(64 * 1024);
      try {
        n = readSync(fd, piece, 0, piece.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new DeployInputError(name, `cannot be read (${code})`, `make ${printable(path)} a file you can read`);
      }
      pieces.push(piece.subarray(0, n));
    }
    if (got > SETTINGS_FILE_MAX)
      throw new DeployInputError(name, "holds more than a settings file's 4 MiB", "point it at the right file");
    return Buffer.concat(pieces, got).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * The variables a dotenv file sets; none when it is not there. A DeployInputError when it is not a file, or sets one
 * key twice: dotenv takes the last without a word (an old `export STAGING_SSH_HOST=…` left above a new one deployed to
 * whichever came later), and one file is one person's settings, so which they meant is theirs to say.
 */
function dotenvAt(path: string): Record<string, string> {
  const text = readSettingsFile(path, printable(path));
  if (text === undefined) return {};
  const lines = new Map<string, number[]>();
  for (const { key, line } of dotenvAssignments(text)) lines.set(key, [...(lines.get(key) ?? []), line]);
  for (const [key, at] of lines)
    if (at.length > 1)
      throw new DeployInputError(
        printable(path),
        `sets ${printable(key)} ${at.length === 2 ? "twice" : `${at.length} times`} (lines ${at.slice(0, -1).join(", ")} and ${at.at(-1)})`,
        "keep one of them",
      );
  return parse(text);
}

/** One assignment in a dotenv text: its key, its line (from 1) and the value dotenv reads. */
export interface DotenvAssignment {
  key: string;
  line: number;
  value: string;
}

/**
 * Every assignment a dotenv text makes, in order (a key set twice is there twice), as dotenv reads them: dotenv itself
 * parses the text with each line's key tagged with its line number (a key's characters change nothing in how dotenv
 * reads a value), so `KEY: value`, `export KEY=…`, a quote that never closes (a plain value: the next lines are
 * settings) and a quoted value spanning lines that hold `KEY=` (not settings) are as dotenv has them.
 */
export function dotenvAssignments(text: string): DotenvAssignment[] {
  const tag = `.-${randomBytes(6).toString("hex")}-`;
  // Content and line ends alternate: dotenv ends a line at \n or \r.
  const parts = text.split(/(\r\n|\r|\n)/);
  const tagged = parts.map((part, i) =>
    i % 2
      ? part
      : part.replace(/^([^\S\r\n]*(?:export[^\S\r\n]+)?)([\w.-]+)(?=[^\S\r\n]*[=:])/, `$1$2${tag}${i / 2 + 1}`),
  );
  const out: DotenvAssignment[] = [];
  for (const [k, value] of Object.entries(parse(tagged.join("")))) {
    const at = k.lastIndexOf(tag);
    if (at > 0) out.push({ key: k.slice(0, at), line: Number(k.slice(at + tag.length)), value });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** process.env over .env over the staging server's deploy.env. */
export function deployEnv(name: string, env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const staging = name === "staging" ? dotenvAt(stagingDeployEnv(env)) : {};
  return overlaySettings(staging, dotenvAt(join(ROOT, ".env")), env);
}

/**
 * Settings from places nearest last: a setting a nearer place gives, as its value (X) or its file (X_FILE), replaces
 * both forms from the farther ones, so an X_FILE in the environment is not undercut by an X in a file. An empty value
 * counts as given (`X=` is how a farther place's X is set aside); resolveTarget names it when it hid the other form.
 */
export function overlaySettings(...layers: Record<string, string | undefined>[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const layer of layers)
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      const base = k.endsWith("_FILE") ? k.slice(0, -"_FILE".length) : k;
      delete out[base];
      delete out[`${base}_FILE`];
      out[k] = v;
    }
  return out;
}

/**
 * Read a target's settings; throws DeployInputError naming the variable and how to set it. `appSecrets: false` (a
 * rollback, which writes no shared/env) does not ask for DATABASE_URI.
 */
export function resolveTarget(
  name: "staging" | "production",
  env: Record<string, string | undefined>,
  opts: { appSecrets?: boolean } = {},
): TargetSettings {
  const P = name.toUpperCase();
  const need = (key: string, what: string): string => {
    const v = env[`${P}_${key}`];
    if (v === undefined || v === "")
      throw new DeployInputError(
        `${P}_${key}`,
        `is not set (${what})`,
        `set it in the environment or in .env${name === "staging" ? ", or start the bundled one: npm run pipeline -- staging-server start" : ""}`,
      );
    return v;
  };
  const target = validateTarget({
    name,
    host: need("SSH_HOST", "the server"),
    port: portOf(`${P}_SSH_PORT`, env[`${P}_SSH_PORT`] ?? "22"),
    user: need("SSH_USER", "the login"),
    basePath: need("DEPLOY_PATH", "DEPLOY_BASE on the server"),
  });
  // `X=` given (in the environment, say, as a CI job gives a secret it does not have) set aside X_FILE from farther
  // places: "X_FILE is not set … set it in .env" would send a user whose .env sets it looking in the wrong place. A
  // value of blanks alone (a secret holding a line end) is no key and no host line either: empty, as "" is.
  const given = (key: string) => (env[`${P}_${key}`]?.trim() ? env[`${P}_${key}`] : undefined);
  const emptied = (key: string) => {
    const v = env[`${P}_${key}`];
    if (v !== undefined && given(key) === undefined && env[`${P}_${key}_FILE`] === undefined)
      throw new DeployInputError(
        `${P}_${key}`,
        `is set but ${v === "" ? "empty" : "blank"}, which sets aside ${P}_${key}_FILE from .env and deploy.env`,
        `unset it (unset ${P}_${key}), or give its value`,
      );
  };
  emptied("SSH_KEY");
  emptied("KNOWN_HOSTS");
  const keyFile = given("SSH_KEY") ? undefined : need("SSH_KEY_FILE", `the SSH private key; or ${P}_SSH_KEY`);
  const key = keyFile === undefined ? given("SSH_KEY")! : fileOf(keyFile, `${P}_SSH_KEY_FILE`);
  const hostsFile = given("KNOWN_HOSTS")
    ? undefined
    : need("KNOWN_HOSTS_FILE", `the server's pinned host key line; or ${P}_KNOWN_HOSTS`);
  const knownHosts = hostsFile === undefined ? given("KNOWN_HOSTS")! : fileOf(hostsFile, `${P}_KNOWN_HOSTS_FILE`);
  const secrets = Object.fromEntries(
    Object.entries(env)
      .filter(([k, v]) => k.startsWith(`${P}_SECRET_`) && v !== undefined)
      .map(([k, v]) => [k.slice(`${P}_SECRET_`.length), v!]),
  );
  // Each becomes shared/env/<NAME> and the app's variable NAME: a name neither takes is refused here, not by the
  // `shared` task after the lock and the upload.
  const badName = opts.appSecrets === false ? undefined : Object.keys(secrets).find((n) => !isAppSecretName(n));
  if (badName !== undefined)
    throw new DeployInputError(
      `${P}_SECRET_${printable(badName)}`,
      "is not an app secret's name: shared/env/ and the app's environment take A-Z, 0-9 and _, starting with a letter",
      `rename it, e.g. ${P}_SECRET_${secretNameLike(badName)}`,
    );
  const tooLarge = opts.appSecrets === false ? undefined : appSecretsProblem(secrets, (n) => `${P}_SECRET_${n}`);
  if (tooLarge) throw new InputError(`${tooLarge.problem}. Fix: ${tooLarge.fix}`);
  if (opts.appSecrets !== false && !secrets.DATABASE_URI) need("SECRET_DATABASE_URI", "the app's DATABASE_URI");
  const publicUrl = env[`${P}_PUBLIC_URL`] ?? `http://${target.host}`;
  const urlProblem = env[`${P}_PUBLIC_URL`] === undefined ? undefined : publicUrlProblem(publicUrl);
  if (urlProblem)
    throw new DeployInputError(
      `${P}_PUBLIC_URL`,
      urlProblem.startsWith("carries") ? urlProblem : `is "${printable(publicUrl)}", not an http(s) URL`,
      `set it to the URL the app's API is reached at, without credentials, e.g. https://staging.example.com`,
    );
  return writeTarget(
    { target, key, knownHosts, secrets, publicUrl },
    {
      keyFile: keyFile ?? `<a 0600 file holding ${P}_SSH_KEY>`,
      knownHostsFile: hostsFile ?? persistKnownHosts(target, knownHosts),
    },
  );
}

/**
 * A target's settings from a typed request (the Dagger path): the endpoint as given, the key, known_hosts and app
 * secrets from the mounted files it names. Throws DeployInputError for a file that is not there.
 */
export function targetFromFiles(
  t: DeployTarget & { name: "staging" | "production" },
  files: { sshKey: string; knownHosts: string; secrets: Record<string, string> },
  opts: { publicUrl?: string; appSecrets: boolean },
): TargetSettings {
  const target = validateTarget(t);
  const secrets = Object.fromEntries(
    Object.entries(files.secrets).map(([name, path]) => [name, fileOf(path, `the ${name} secret`)]),
  );
  const tooLarge = opts.appSecrets
    ? appSecretsProblem(secrets, (n) => (n === "*" ? "the app secrets" : `the ${n} secret`))
    : undefined;
  if (tooLarge) throw new InputError(`${tooLarge.problem}. Fix: ${tooLarge.fix}`);
  if (opts.appSecrets && !secrets.DATABASE_URI)
    throw new DeployInputError("databaseUri", "is not given", "pass the app's DATABASE_URI as a Secret");
  const s = {
    target,
    key: fileOf(files.sshKey, "sshKey"),
    knownHosts: fileOf(files.knownHosts, "knownHosts"),
    secrets,
    publicUrl: opts.publicUrl ?? `http://${target.host}`,
  };
  return writeTarget(s, { keyFile: files.sshKey, knownHostsFile: files.knownHosts });
}

/** A key dir's name, with the pid of the run that made it. */
const KEY_DIR_NAME = new RegExp(`^${KEY_DIR_PREFIX}(\\d+)-`);

/**
 * Remove the key copies of runs that died without cleaning up (a SIGKILL, the power): each run names its temp dir
 * after its pid, so a dir whose process is gone is a leftover. A pid alive (or of another user) is left alone, and so
 * is a dir this user does not own (another user's run: not ours to remove, and removing it would fail) or anything
 * that is not a dir.
 */
export function sweepKeyCopies(dir = tmpdir()): string[] {
  const removed: string[] = [];
  const me = process.getuid?.() ?? 0;
  for (const name of readdirSync(dir)) {
    const pid = Number(KEY_DIR_NAME.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    const st = lstatSync(join(dir, name), { throwIfNoEntry: false });
    if (!st?.isDirectory() || st.uid !== me) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Whether the process still runs. A zombie (exited, not yet reaped: in a container whose PID 1 never reaps, for ever)
 * answers signal 0 but has died, so Linux's /proc state Z counts as gone.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ESRCH";
  }
  try {
    return !/^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/**
 * The folder the key copies go in: TMPDIR by its real path (so no link on it is followed again later), with every
 * folder on that path owned by root or this user and writable by no one else unless sticky, as /tmp is. Otherwise
 * another user could move the run's 0700 key folder aside and put one of theirs in its place, with their known_hosts or
 * an ssh control socket of theirs, which the run's next ssh would use. Throws DeployInputError naming the folder.
 */
export function keyCopyParent(dir = tmpdir()): string {
  const refuse = (problem: string) =>
    new DeployInputError(
      "TMPDIR",
      `is "${printable(dir)}": ${problem}, so another user could swap the folder holding the run's SSH key copy`,
      "point TMPDIR at a folder only you can change, e.g. mkdir -m 700 ~/.deploy-tmp && export TMPDIR=~/.deploy-tmp",
    );
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    throw refuse("it does not exist");
  }
  if (!statSync(real).isDirectory()) throw refuse("it is not a folder");
  const me = process.getuid?.() ?? 0;
  for (let p = real; ; p = dirname(p)) {
    const st = statSync(p);
    if (st.uid !== 0 && st.uid !== me) throw refuse(`${p} belongs to another user (uid ${st.uid})`);
    if (st.mode & 0o022 && !(st.mode & 0o1000)) throw refuse(`${p} is writable by other users without the sticky bit`);
    if (p === dirname(p)) return real;
  }
}

/**
 * The folder the runs' key dirs go in (keyHolderName, in `parent`): made 0700 when missing, made 0700 again when it is
 * this user's with a wider mode. A link, a file, or another user's folder there is refused (DeployInputError), since
 * whoever owns it could swap the run's key dir.
 */
export function keyHolder(parent = keyCopyParent()): string {
  const me = process.getuid?.() ?? 0;
  const holder = join(parent, keyHolderName(me));
  const refuse = (problem: string) =>
    new DeployInputError(
      "TMPDIR",
      `holds ${printable(holder)}, ${problem}, where the run's SSH key copy would go`,
      `remove it (rm -r ${printable(holder)}; the next run makes it again, private to you), or where it is not yours to remove, point TMPDIR at a folder only you can change: mkdir -m 700 ~/.deploy-tmp && export TMPDIR=~/.deploy-tmp`,
    );
  try {
    mkdirSync(holder, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  const st = lstatSync(holder);
  if (!st.isDirectory()) throw refuse("which is not a folder");
  if (st.uid !== me) throw refuse(`a folder of another user (uid ${st.uid})`);
  if (st.mode & 0o077) chmodSync(holder, 0o700);
  return holder;
}

/** Every run's key dir under `tmp` that is still there: in the key holder, and any an older version left in `tmp`. */
export function keyCopyDirs(tmp = tmpdir()): string[] {
  const real = realpathSync(tmp);
  const holder = join(real, keyHolderName(process.getuid?.() ?? 0));
  const inside = (d: string) =>
    existsSync(d)
      ? readdirSync(d)
          .filter((n) => n.startsWith(KEY_DIR_PREFIX))
          .map((n) => join(d, n))
      : [];
  return [...inside(holder), ...inside(real)];
}

/**
 * Write the key (normalised) and known_hosts into a fresh 0700 temp dir, named after this process, in the key holder,
 * that dispose() removes; first remove what killed runs left.
 */
function writeTarget(
  s: { target: DeployTarget; key: string; knownHosts: string; secrets: Record<string, string>; publicUrl: string },
  typed: TargetSettings["typed"],
): TargetSettings {
  const parent = keyCopyParent();
  const holder = keyHolder(parent);
  sweepKeyCopies(parent);
  sweepKeyCopies(holder);
  const dir = mkdtempSync(join(holder, `${KEY_DIR_PREFIX}${process.pid}-`));
  chmodSync(dir, 0o700);
  // dispose() runs in a finally; this also covers an exit that skips it (process.exit mid-run, a crash), and a stop
  // signal that nothing traps (a Ctrl-C during a command that only reads over ssh), which skips 'exit' too.
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", remove);
  const forget = atUntrappedStop(remove);
  // As CI secrets give it (no final newline, CRLF, trailing blanks), OpenSSH would say "error in libcrypto".
  writeFileSync(join(dir, "key"), normalisePrivateKey(s.key), { mode: 0o600 });
  writeFileSync(join(dir, "known_hosts"), `${s.knownHosts.trim()}\n`, { mode: 0o600 });
  return {
    target: s.target,
    keyFile: join(dir, "key"),
    knownHostsFile: join(dir, "known_hosts"),
    controlDir: dir,
    typed,
    publicUrl: s.publicUrl,
    secrets: s.secrets,
    dispose: () => {
      process.off("exit", remove);
      forget();
      remove();
    },
  };
}

/**
 * A host key is public: a copy under .pipeline/ssh lets a printed ssh command pin it after this run ends. One file
 * per target, host and port, written by rename, so a run against another server never swaps the key under a printed
 * command.
 */
function persistKnownHosts(t: DeployTarget, knownHosts: string): string {
  const file = join(ROOT, ".pipeline/ssh", `${t.name}-${t.host.replace(/[^A-Za-z0-9.-]/g, "_")}-${t.port}_known_hosts`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.${process.pid}.tmp`, `${knownHosts.trim()}\n`);
  renameSync(`${file}.${process.pid}.tmp`, file);
  return file;
}

/**
 * Check, before any connection, that ssh can use the key and that known_hosts pins this host: `ssh-keygen -y` reads
 * the key, `ssh-keygen -F` finds the host's line.
 */
export async function checkSshFiles(t: TargetSettings): Promise<void> {
  const P = t.target.name.toUpperCase();
  const pasted = pastedKeyProblem(readFileSync(t.keyFile, "utf8"), `${P}_SSH_KEY_FILE`);
  if (pasted) throw new DeployInputError(`${P}_SSH_KEY`, pasted.problem, pasted.fix);
  const key = await $({ quiet: true, nothrow: true })`ssh-keygen -y -P ${""} -f ${t.keyFile}`;
  if (key.exitCode !== 0)
    throw new DeployInputError(
      `${P}_SSH_KEY`,
      `is not a private key ssh can use without a passphrase (${key.stderr.trim().split("\n")[0] || "unreadable"})`,
      `give the deploy key's private half, as ssh-keygen -t ed25519 -N "" writes it`,
    );
  const { host, port } = t.target;
  const name = port === 22 ? host : `[${host}]:${port}`;
  const found = await $({ quiet: true, nothrow: true })`ssh-keygen -F ${name} -f ${t.knownHostsFile}`;
  if (found.exitCode !== 0 || !found.stdout.trim())
    throw new DeployInputError(
      `${P}_KNOWN_HOSTS`,
      `has no usable host key line for ${name}`,
      `add the server's line, e.g. from the server itself: ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub, as "${name} ssh-ed25519 AAAA..."`,
    );
}

function fileOf(path: string, key: string): string {
  const text = readSettingsFile(path, `${key} points at ${printable(path)}, which`);
  if (text === undefined)
    throw new DeployInputError(
      key,
      `points at ${printable(path)}, which does not exist`,
      "give the path of an existing file",
    );
  return text;
}
