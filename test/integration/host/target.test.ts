import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { redactAll } from "../../../ci/src/plan/redact";
import { DeployInputError } from "../../../ci/src/plan/deploy/stage";
import {
  checkSshFiles,
  deployEnv,
  keyCopyDirs,
  keyHolder,
  resolveTarget,
  sweepKeyCopies,
  targetFromFiles,
} from "../../../scripts/host/target";

/**
 * A deploy prints a failing migration's output (stdout and stderr, trimmed) with the app secrets redacted. A value
 * pasted with blanks around it, or with CRLF line ends, is printed without them by a real shell (`echo $X` unquoted
 * splits it into words; the output's trailing blanks are trimmed), so the value as given never matched: a 2026-12-06
 * hostile run's deploy printed "cannot connect with tr4il-s3cret" for STAGING_SECRET_API_KEY="  tr4il-s3cret  ".
 */
describe("redact on what a migration prints", () => {
  it("hides a secret with blanks around it, or CRLF line ends, however a shell prints it", () => {
    for (const secret of ["  tr4il-s3cret  ", "\ttab-s3cret\n", "first-line-s3cret\r\nsecond-line-s3cret\r\n"]) {
      const out = execFileSync(
        "bash",
        ["-c", 'echo cannot connect with $API_KEY; echo "quoted: $API_KEY"; printf "%s\\n" "$API_KEY" | tr -d "\\r"'],
        { env: { PATH: process.env.PATH, API_KEY: secret }, encoding: "utf8" },
      ).trim();
      const shown = redactAll(out, ["mongodb://db/app", secret]);
      expect(shown, JSON.stringify(secret)).not.toMatch(/s3cret/);
      expect(shown).toMatch(/cannot connect with \*\*\*/);
    }
  });
});

/** A real ed25519 key pair made by ssh-keygen: the private key as OpenSSH wrote it, and the public key line. */
function keyPair(): { key: string; pub: string } {
  const dir = mkdtempSync(join(tmpdir(), "target-key-"));
  try {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "id"), "-C", "ci"]);
    return { key: readFileSync(join(dir, "id"), "utf8"), pub: readFileSync(join(dir, "id.pub"), "utf8").trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const settings = (extra: Record<string, string>) => ({
  STAGING_SSH_HOST: "staging.example.com",
  STAGING_SSH_USER: "deploy",
  STAGING_DEPLOY_PATH: "/srv/app",
  STAGING_KNOWN_HOSTS: "staging.example.com ssh-ed25519 AAAA",
  STAGING_SECRET_DATABASE_URI: "mongodb://db/app",
  ...extra,
});

/** The public key real ssh-keygen derives from the key file the runner wrote (it fails on a key OpenSSH refuses). */
function publicKeyOf(keyFile: string): string {
  return execFileSync("ssh-keygen", ["-y", "-f", keyFile], { encoding: "utf8" }).trim();
}

/**
 * CI secrets often lose the key's trailing newline, or carry CRLF line ends or trailing blanks from a paste; OpenSSH
 * then says "error in libcrypto". The host runner normalises the key before ssh reads it.
 */
describe("resolveTarget's SSH key", () => {
  const { key, pub } = keyPair();
  const forms: [string, string][] = [
    ["without its trailing newline", key.trimEnd()],
    ["with CRLF line ends and no final newline", key.replaceAll("\n", "\r\n").trimEnd()],
    ["with trailing blanks on its last line", `${key.trimEnd()}  `],
  ];

  it.each(forms)("is a key ssh-keygen reads when STAGING_SSH_KEY holds it %s", (_, given) => {
    const t = resolveTarget("staging", settings({ STAGING_SSH_KEY: given }));
    try {
      expect(publicKeyOf(t.keyFile)).toBe(pub);
    } finally {
      t.dispose();
    }
  });

  it.each(forms)("is a key ssh-keygen reads when STAGING_SSH_KEY_FILE holds it %s", (_, given) => {
    const file = join(mkdtempSync(join(tmpdir(), "mounted-")), "ssh_key");
    writeFileSync(file, given, { mode: 0o600 });
    const t = resolveTarget("staging", settings({ STAGING_SSH_KEY_FILE: file }));
    try {
      expect(publicKeyOf(t.keyFile)).toBe(pub);
      expect(readFileSync(t.keyFile, "utf8")).toBe(key);
    } finally {
      t.dispose();
    }
  });
});

/** Reading staging (its record, its current release) logs in without deploying: it needs no app secret. */
/**
 * Careless pastes: the key file's path in STAGING_SSH_KEY was reported as "error in libcrypto"; two keys pasted
 * together, the wrong one first, got as far as the server and failed there with "Permission denied (publickey)".
 */
describe("checkSshFiles on a pasted key", () => {
  const { key } = keyPair();
  const other = keyPair().key;
  it.each([
    ["the key file's path", "/home/ci/.ssh/id_ed25519", "holds a file's path, not the key's text"],
    ["two keys, one after the other", `${other}${key}`, "holds 2 private keys"],
  ])("refuses %s with exit 2 naming the mistake and the fix, before connecting", async (_, given, problem) => {
    const t = resolveTarget("staging", settings({ STAGING_SSH_KEY: given }));
    try {
      const checking = checkSshFiles(t);
      await expect(checking).rejects.toThrow(DeployInputError);
      await expect(checking).rejects.toThrow(new RegExp(`^input error: STAGING_SSH_KEY ${problem}.*Fix: `));
    } finally {
      t.dispose();
    }
  });
});

describe("resolveTarget's app secrets", () => {
  const { key } = keyPair();
  const noDb = () => settings({ STAGING_SSH_KEY: key, STAGING_SECRET_DATABASE_URI: "" });

  it("requires DATABASE_URI for a deploy, naming the variable", () => {
    expect(() => resolveTarget("staging", noDb())).toThrow(/STAGING_SECRET_DATABASE_URI is not set/);
  });

  /**
   * Each STAGING_SECRET_<NAME> becomes the server's shared/env/<NAME> and the app's variable NAME. A name the app's
   * environment cannot carry (lower case, a dash or dot that .env files allow, nothing after the prefix) was refused
   * only by the `shared` task, after the lock, the upload and the install, with exit 1.
   */
  it.each(["database_uri", "API-KEY", "API.KEY", "1KEY", ""])(
    "refuses STAGING_SECRET_%s before writing any key copy, naming the variable and the fix",
    (name) => {
      const before = keyCopyDirs().filter((d) => basename(d).startsWith(`deploy-ssh-${process.pid}-`));
      const run = () => resolveTarget("staging", settings({ STAGING_SSH_KEY: key, [`STAGING_SECRET_${name}`]: "v" }));
      expect(run).toThrow(
        new RegExp(
          `^input error: STAGING_SECRET_${name.replace(".", "\\.")} is not an app secret's name: shared/env/ and the app's environment take A-Z, 0-9 and _, starting with a letter\\. Fix: rename it, e\\.g\\. STAGING_SECRET_[A-Z0-9_]+$`,
        ),
      );
      expect(keyCopyDirs().filter((d) => basename(d).startsWith(`deploy-ssh-${process.pid}-`))).toEqual(before);
    },
  );

  /**
   * Every app secret reaches the app and the migration as an environment variable, and Linux takes no variable over
   * 128 KiB (MAX_ARG_STRLEN) and none with a NUL. One such secret was written to the server's shared/env before the
   * migration or the app failed with "Argument list too long", and stayed there, so every later deploy failed too.
   */
  it.each([
    [
      "over 128 KiB",
      "A".repeat(131_072),
      /STAGING_SECRET_BIG is 131072 bytes; an environment variable holds at most 131067 \(Linux's 128 KiB, less its name\)/,
    ],
    ["with a NUL byte", "a\u0000b", /STAGING_SECRET_BIG holds a NUL byte, which no environment variable can carry/],
  ])("refuses a secret %s before writing any key copy", (_, value, message) => {
    const run = () => resolveTarget("staging", settings({ STAGING_SSH_KEY: key, STAGING_SECRET_BIG: value }));
    expect(run).toThrow(message);
    expect(run).toThrow(/^input error: .*Fix: /);
  });

  it("refuses a mounted secret file over 128 KiB on the Dagger path too (targetFromFiles), before any key copy", () => {
    const dir = mkdtempSync(join(tmpdir(), "mounted-"));
    const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    const files = {
      sshKey: file("key", key),
      knownHosts: file("known_hosts", "staging.example.com ssh-ed25519 AAAA"),
      secrets: { DATABASE_URI: file("db", "x".repeat(200_000)) },
    };
    const target = { name: "staging" as const, host: "staging.example.com", port: 22, user: "d", basePath: "/srv/a" };
    try {
      expect(() => targetFromFiles(target, files, { appSecrets: true })).toThrow(
        /^input error: the DATABASE_URI secret is 200000 bytes; an environment variable holds at most 131058/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses app secrets over 1 MiB together, as the environment they share could not hold them", () => {
    const big = Object.fromEntries([...Array(9).keys()].map((i) => [`STAGING_SECRET_S${i}`, "x".repeat(120_000)]));
    expect(() => resolveTarget("staging", settings({ STAGING_SSH_KEY: key, ...big }))).toThrow(
      /^input error: STAGING_SECRET_\* are 1080\d+ bytes together; the app's environment takes at most 1048576\. Fix: /,
    );
  });

  it("does not require it to read or write staging over ssh", () => {
    const t = resolveTarget("staging", noDb(), { appSecrets: false });
    try {
      expect([t.target.host, t.secrets]).toEqual(["staging.example.com", { DATABASE_URI: "" }]);
    } finally {
      t.dispose();
    }
  });
});

describe("sweepKeyCopies", () => {
  it("removes the key dirs of runs that are gone, never one of a live process", () => {
    const dir = mkdtempSync(join(tmpdir(), "sweep-"));
    const dead = spawnSync("true").pid!;
    const live = spawn("sleep", ["30"]);
    try {
      for (const name of [`deploy-ssh-${dead}-aaaaaa`, `deploy-ssh-${live.pid}-bbbbbb`, `deploy-ssh-${process.pid}-cc`])
        mkdirSync(join(dir, name));
      mkdirSync(join(dir, "deploy-ssh-Xy12Zq"));
      expect(sweepKeyCopies(dir)).toEqual([`deploy-ssh-${dead}-aaaaaa`]);
      expect(readdirSync(dir).sort()).toEqual(
        [`deploy-ssh-${live.pid}-bbbbbb`, `deploy-ssh-${process.pid}-cc`, "deploy-ssh-Xy12Zq"].sort(),
      );
    } finally {
      live.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("sweepKeyCopies in a temp folder shared with other users", () => {
  it("leaves another user's key dirs alone (a runner not root crashed on them with EACCES), and anything not a dir", () => {
    const dir = mkdtempSync(join(tmpdir(), "sweep-"));
    const dead = spawnSync("true").pid!;
    try {
      for (const name of [`deploy-ssh-${dead}-mine`, `deploy-ssh-${dead}-theirs`]) mkdirSync(join(dir, name));
      writeFileSync(join(dir, `deploy-ssh-${dead}-theirs/key`), "their key");
      chownSync(join(dir, `deploy-ssh-${dead}-theirs`), 65534, 65534);
      chmodSync(join(dir, `deploy-ssh-${dead}-theirs`), 0o700);
      writeFileSync(join(dir, `deploy-ssh-${dead}-file`), "");
      expect(sweepKeyCopies(dir)).toEqual([`deploy-ssh-${dead}-mine`]);
      expect(readdirSync(dir).sort()).toEqual([`deploy-ssh-${dead}-file`, `deploy-ssh-${dead}-theirs`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the known_hosts copy a printed command pins", () => {
  it("is one file per server: a run against another host or port never replaces it", () => {
    const files = ["2201", "2202"].map((port) => {
      const t = resolveTarget(
        "staging",
        settings({
          STAGING_SSH_KEY: "k",
          STAGING_SSH_PORT: port,
          STAGING_KNOWN_HOSTS: `[h]:${port} ssh-ed25519 AAAA${port}`,
        }),
      );
      t.dispose();
      return t.typed.knownHostsFile;
    });
    expect(files[0]).not.toBe(files[1]);
    expect(files.map((f) => readFileSync(f, "utf8"))).toEqual([
      "[h]:2201 ssh-ed25519 AAAA2201\n",
      "[h]:2202 ssh-ed25519 AAAA2202\n",
    ]);
  });
});

describe("sweepKeyCopies and zombies", () => {
  it("removes the key dir of a run that exited but was never reaped (a zombie answers signal 0)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sweep-"));
    // The shell starts a short child, then execs into sleep, which never waits: the child stays a zombie.
    const parent = spawn("sh", ["-c", "sleep 0.1 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const zombie = Number(
        await new Promise<string>((ok) => parent.stdout.once("data", (d: Buffer) => ok(d.toString()))),
      );
      for (let i = 0; i < 50 && !/ Z /.test(readFileSync(`/proc/${zombie}/stat`, "utf8")); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(readFileSync(`/proc/${zombie}/stat`, "utf8")).toMatch(/^\d+ \(sleep\) Z /);
      expect(() => process.kill(zombie, 0)).not.toThrow();
      mkdirSync(join(dir, `deploy-ssh-${zombie}-zzzzzz`));
      expect(sweepKeyCopies(dir)).toEqual([`deploy-ssh-${zombie}-zzzzzz`]);
    } finally {
      parent.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("resolveTarget's port and base path", () => {
  it.each(["abc", "0x16", " 22", "22e0", "22 -oProxyCommand=id", "70000", "0"])(
    "refuses STAGING_SSH_PORT=%j naming the variable, not as NaN or a number it happens to parse to",
    (port) => {
      expect(() => resolveTarget("staging", settings({ STAGING_SSH_KEY: "k", STAGING_SSH_PORT: port }))).toThrow(
        /^input error: STAGING_SSH_PORT is ".*", not a TCP port\. Fix: set it to a port from 1 to 65535, e\.g\. 22$/,
      );
    },
  );

  it.each([
    [
      "https://user:s3cret@staging.example.com",
      /^input error: STAGING_PUBLIC_URL carries credentials \(user:token@ in the URL\)/,
    ],
    [
      "ftp://staging.example.com",
      /^input error: STAGING_PUBLIC_URL is "ftp:\/\/staging.example.com", not an http\(s\) URL/,
    ],
    // URL parsers drop a newline or a tab and take the rest, but the build baked the raw text, and the deploy's log
    // line printed an escape to the terminal.
    ["http://example.com\n", /^input error: STAGING_PUBLIC_URL is "http:\/\/example\.com\\x0a", not an http\(s\) URL/],
    ["http://exa\tmple.com", /^input error: STAGING_PUBLIC_URL is "http:\/\/exa\\x09mple\.com", not an http\(s\) URL/],
    ["http://example.com/\x1b[2J", /^input error: STAGING_PUBLIC_URL is "http:\/\/example\.com\/\\x1b\[2J", not/],
  ])(
    "refuses STAGING_PUBLIC_URL=%j (the build bakes it into the public bundle), never echoing a password",
    (url, message) => {
      const run = () => resolveTarget("staging", settings({ STAGING_SSH_KEY: "k", STAGING_PUBLIC_URL: url }));
      expect(run).toThrow(message);
      expect(run).not.toThrow(/s3cret/);
    },
  );

  it("writes a base path's newline as an escape, so the message stays one line", () => {
    expect(() =>
      resolveTarget("staging", settings({ STAGING_SSH_KEY: "k", STAGING_DEPLOY_PATH: "/srv/a\n\x1b[2Jb" })),
    ).toThrow(/^input error: base path "\/srv\/a\\x0a\\x1b\[2Jb" is not an absolute path/);
  });
});

/**
 * The key copy's folder sits in TMPDIR. Whoever may rename entries of a folder on that path can move the run's 0700
 * key folder aside and put their own in its place, with their known_hosts or an ssh control socket (`cm`) of theirs:
 * the run's next ssh uses it. Reproduced here as user nobody on a 0777 TMPDIR: the run's ssh read nobody's
 * known_hosts, and the moved folder, key inside, stayed behind.
 */
describe("the key copy's temp folder", () => {
  const withTmp = <T>(dir: string, fn: () => T): T => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      return fn();
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  };
  const resolve = () => resolveTarget("staging", settings({ STAGING_SSH_KEY: "k" }));

  it.each([
    [
      "writable by everyone without the sticky bit (0777)",
      "",
      0o777,
      "is writable by other users without the sticky bit",
    ],
    ["inside a folder writable by everyone (0777) without the sticky bit", "inner", 0o777, "is writable by other"],
    ["owned by another user (nobody)", "", 0o755, "belongs to another user"],
  ])("is refused when TMPDIR is %s, before any key is written", (_, inner, mode, problem) => {
    const root = mkdtempSync(join(tmpdir(), "keytmp-"));
    try {
      chmodSync(root, mode);
      if (problem === "belongs to another user") chownSync(root, 65534, 65534);
      const dir = inner ? join(root, inner) : root;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      expect(() => withTmp(dir, resolve)).toThrow(DeployInputError);
      expect(() => withTmp(dir, resolve)).toThrow(new RegExp(`^input error: TMPDIR .*${problem}.*Fix: `));
      expect(keyCopyDirs(dir)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  /**
   * The runs' key dirs go in one folder per user (the sandbox masks it whole). Whoever could make that folder before
   * the user's first run (another user, on a shared /tmp) could swap the key dirs in it: it must be the user's own.
   */
  it.each([
    ["a link to a folder of the user's", "link", /which is not a folder/],
    ["a file", "file", /which is not a folder/],
    ["another user's folder (nobody)", "nobody", /a folder of another user \(uid 65534\)/],
  ])("refuses a key holder that is %s, before any key is written", (_, kind, problem) => {
    const root = mkdtempSync(join(tmpdir(), "keytmp-"));
    try {
      const holder = join(root, `deploy-keys-${process.getuid!()}`);
      if (kind === "link") {
        mkdirSync(join(root, "elsewhere"));
        symlinkSync(join(root, "elsewhere"), holder);
      } else if (kind === "file") writeFileSync(holder, "");
      else {
        mkdirSync(holder, { mode: 0o700 });
        chownSync(holder, 65534, 65534);
      }
      expect(() => withTmp(root, resolve)).toThrow(DeployInputError);
      expect(() => withTmp(root, resolve)).toThrow(
        new RegExp(`^input error: TMPDIR holds .*deploy-keys-.*, ${problem.source}.*Fix: remove it \\(rm -r `),
      );
      // Another user's folder in a shared /tmp is not the user's to remove: the other way out is named too.
      expect(() => withTmp(root, resolve)).toThrow(
        /or where it is not yours to remove, point TMPDIR at a folder only you/,
      );
      expect(readdirSync(root).filter((n) => n.startsWith("deploy-ssh-"))).toEqual([]);
      if (kind === "link") expect(readdirSync(join(root, "elsewhere"))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("makes the key holder private to the user, and private again when its mode was widened", () => {
    const root = mkdtempSync(join(tmpdir(), "keytmp-"));
    try {
      expect(statSync(keyHolder(root)).mode & 0o777).toBe(0o700);
      chmodSync(keyHolder(root), 0o755);
      const t = withTmp(root, resolve);
      try {
        expect(statSync(dirname(dirname(t.keyFile))).mode & 0o777).toBe(0o700);
        expect(keyCopyDirs(root)).toEqual([dirname(t.keyFile)]);
      } finally {
        t.dispose();
      }
      expect(keyCopyDirs(root)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("takes a private folder, or one writable by all with the sticky bit (as /tmp is), by its real path", () => {
    const root = mkdtempSync(join(tmpdir(), "keytmp-"));
    try {
      const sticky = join(root, "sticky");
      mkdirSync(sticky);
      chmodSync(sticky, 0o1777);
      symlinkSync(sticky, join(root, "link"));
      for (const dir of [root, sticky, join(root, "link")]) {
        const t = withTmp(dir, resolve);
        try {
          expect(
            dirname(t.keyFile).startsWith(`${realpathSync(dir)}/deploy-keys-${process.getuid!()}/deploy-ssh-`),
            t.keyFile,
          ).toBe(true);
        } finally {
          t.dispose();
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/**
 * A setting comes in two forms (STAGING_KNOWN_HOSTS or STAGING_KNOWN_HOSTS_FILE, the key likewise) and from three
 * places (the bundled staging server's deploy.env, .env, the environment). A user who set STAGING_KNOWN_HOSTS_FILE in
 * the environment, on a machine where the bundled server had run, got the bundled server's STAGING_KNOWN_HOSTS from
 * its deploy.env instead (the ninth hostile run): `staging-commit` refused a known_hosts the user never gave.
 */
describe("deployEnv's layers", () => {
  it("lets a setting given in a nearer place, in either form, replace both forms from a farther one", () => {
    const dir = mkdtempSync(join(tmpdir(), "layers-"));
    try {
      writeFileSync(
        join(dir, "deploy.env"),
        "STAGING_KNOWN_HOSTS=bundled-line\nSTAGING_SSH_KEY_FILE=/bundled/key\nSTAGING_SSH_HOST=127.0.0.1\n",
      );
      const env = deployEnv("staging", {
        STAGING_SERVER_DIR: dir,
        STAGING_KNOWN_HOSTS_FILE: "/mine/known_hosts",
        STAGING_SSH_KEY: "mine",
      });
      expect(env.STAGING_KNOWN_HOSTS_FILE).toBe("/mine/known_hosts");
      expect(env.STAGING_KNOWN_HOSTS).toBeUndefined();
      expect(env.STAGING_SSH_KEY).toBe("mine");
      expect(env.STAGING_SSH_KEY_FILE).toBeUndefined();
      expect(env.STAGING_SSH_HOST).toBe("127.0.0.1");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A settings file the runner reads (`.env`, the bundled server's deploy.env, the file STAGING_SSH_KEY_FILE or
 * STAGING_KNOWN_HOSTS_FILE names) that is not a regular file: a folder exited 1 with an EISDIR stack trace, and a FIFO
 * (or `/dev/stdin` in a job with no input) or `/dev/zero` blocked `rollback --list` for ever (the tenth hostile run).
 */
describe("settings files that are not regular files", () => {
  const { key } = keyPair();
  const dir = mkdtempSync(join(tmpdir(), "settings-kinds-"));
  const fifo = join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);
  const keyFile = join(dir, "key with space");
  writeFileSync(keyFile, key, { mode: 0o600 });
  const tsx = join(import.meta.dirname, "../../../node_modules/.bin/tsx");
  const pipeline = join(import.meta.dirname, "../../../scripts/pipeline.ts");

  /** `rollback --list` in a child (a blocking read would stall this worker), with `env` over a clean environment. */
  const rollbackList = (env: Record<string, string>) =>
    spawnSync(tsx, [pipeline, "rollback", "--list"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmpdir(), STAGING_SERVER_DIR: dir, ...env },
      encoding: "utf8",
      timeout: 20_000,
    });

  it.each([
    ["STAGING_SSH_KEY_FILE", "a folder", dir, /is a folder, not a file/],
    ["STAGING_SSH_KEY_FILE", "a FIFO", fifo, /is a FIFO, not a file/],
    ["STAGING_SSH_KEY_FILE", "/dev/zero", "/dev/zero", /is a device, not a file/],
    ["STAGING_KNOWN_HOSTS_FILE", "a FIFO", fifo, /is a FIFO, not a file/],
    // A regular file whose size reads 0 (procfs, as FUSE may): the bound was on the size stat gave, so the run read
    // 8 GB of page map in 40 s, and on (the eleventh hostile run). The bound is now on what is read.
    ["STAGING_SSH_KEY_FILE", "/proc/self/pagemap", "/proc/self/pagemap", /holds more than a settings file's 4 MiB/],
  ])("exits 2 when %s names %s, one line naming it, before anything", (name, _, path, problem) => {
    const given = { STAGING_SSH_KEY_FILE: keyFile, STAGING_KNOWN_HOSTS: "127.0.0.1 ssh-ed25519 AAAA", [name]: path };
    if (name === "STAGING_KNOWN_HOSTS_FILE") delete (given as Record<string, string>).STAGING_KNOWN_HOSTS;
    const r = rollbackList({ ...settings(given), STAGING_SECRET_DATABASE_URI: "" });
    expect(r.signal, "blocked").toBeNull();
    expect(r.stderr.trim()).toMatch(new RegExp(`^input error: ${name} points at .*${problem.source}.*Fix: `));
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.status).toBe(2);
  });

  it("exits 2 when the bundled server's deploy.env is a FIFO or a folder, naming it", () => {
    for (const kind of ["fifo", "folder"]) {
      const server = mkdtempSync(join(tmpdir(), "settings-server-"));
      if (kind === "fifo") execFileSync("mkfifo", [join(server, "deploy.env")]);
      else mkdirSync(join(server, "deploy.env"));
      const r = rollbackList({ STAGING_SERVER_DIR: server });
      rmSync(server, { recursive: true, force: true });
      expect(r.signal, `blocked on a ${kind}`).toBeNull();
      expect(r.stderr.trim()).toMatch(/^input error: .*deploy\.env is a (FIFO|folder), not a file\. Fix: /);
      expect(r.status).toBe(2);
    }
  });

  it("reads a key file whose path has spaces", () => {
    const t = resolveTarget("staging", settings({ STAGING_SSH_KEY_FILE: keyFile }));
    try {
      expect(readFileSync(t.keyFile, "utf8")).toBe(key);
    } finally {
      t.dispose();
    }
  });
});

/**
 * `STAGING_SSH_KEY=` in the environment (a CI job gives a secret it does not have as an empty value) sets aside the
 * STAGING_SSH_KEY_FILE `.env` or deploy.env gives, as `X=` is meant to; the run then said "STAGING_SSH_KEY_FILE is not
 * set … set it in .env" to a user whose .env set it (the tenth hostile run). It now names the empty variable.
 */
describe("deployEnv's layers and empty values", () => {
  it("names an empty X that set aside a farther place's X_FILE, not the X_FILE as unset", () => {
    const dir = mkdtempSync(join(tmpdir(), "layers-empty-"));
    try {
      writeFileSync(join(dir, "deploy.env"), "STAGING_SSH_KEY_FILE=/bundled/key\n");
      const env = deployEnv("staging", { ...settings({}), STAGING_SERVER_DIR: dir, STAGING_SSH_KEY: "" });
      expect(() => resolveTarget("staging", env)).toThrow(
        /^input error: STAGING_SSH_KEY is set but empty, which sets aside STAGING_SSH_KEY_FILE from \.env and deploy\.env\. Fix: unset it/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // A value of blanks alone (`STAGING_SSH_KEY=" "`, a CI secret holding a line end) is no key and no host line either:
  // it set aside the .env's X_FILE as "" does, then read as the key, "not a private key … give the deploy key's
  // private half" (the eleventh hostile run). It is named as an empty one is, and beside its X_FILE gives way to it.
  it.each([" ", "\n", "\t \r\n"])("names a blank X (%j) as an empty one, and reads the X_FILE beside it", (blank) => {
    const dir = mkdtempSync(join(tmpdir(), "layers-blank-"));
    try {
      writeFileSync(
        join(dir, "deploy.env"),
        "STAGING_SSH_KEY_FILE=/bundled/key\nSTAGING_KNOWN_HOSTS_FILE=/bundled/kh\n",
      );
      const env = deployEnv("staging", { ...settings({}), STAGING_SERVER_DIR: dir, STAGING_SSH_KEY: blank });
      expect(() => resolveTarget("staging", env)).toThrow(
        /^input error: STAGING_SSH_KEY is set but blank, which sets aside STAGING_SSH_KEY_FILE from \.env and deploy\.env\. Fix: unset it/,
      );
      const hosts = deployEnv("staging", { ...settings({}), STAGING_SERVER_DIR: dir, STAGING_KNOWN_HOSTS: blank });
      expect(() => resolveTarget("staging", hosts)).toThrow(/^input error: STAGING_KNOWN_HOSTS is set but blank/);
      const { key } = keyPair();
      const keyFile = join(dir, "key");
      writeFileSync(keyFile, key, { mode: 0o600 });
      const t = resolveTarget("staging", { ...settings({ STAGING_SSH_KEY_FILE: keyFile }), STAGING_SSH_KEY: blank });
      try {
        expect(readFileSync(t.keyFile, "utf8")).toBe(key);
      } finally {
        t.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A key set twice in a settings file (an old line left above a new one, `export X=…` and `X=…`): dotenv takes the last
 * without a word, so a deploy went to whichever host the later line named (the tenth hostile run). Each layer is one
 * person's file: two values for one setting there are refused, naming the lines, as a flag given twice is.
 */
describe("a settings file that sets a key twice", () => {
  it("is refused naming the key and its lines; a multi-line quoted value holding KEY= lines is not a second setting", () => {
    const dir = mkdtempSync(join(tmpdir(), "settings-twice-"));
    try {
      writeFileSync(
        join(dir, "deploy.env"),
        'export STAGING_SSH_HOST=old.example.com\r\nSTAGING_SSH_USER=deploy\r\nSTAGING_SSH_HOST="new.example.com"\r\n',
      );
      expect(() => deployEnv("staging", { STAGING_SERVER_DIR: dir })).toThrow(
        /^input error: .*deploy\.env sets STAGING_SSH_HOST twice \(lines 1 and 3\)\. Fix: keep one of them/,
      );
      writeFileSync(
        join(dir, "deploy.env"),
        'STAGING_SECRET_NOTE="first\nSTAGING_SSH_USER=x\n"\nSTAGING_SSH_USER=deploy\n',
      );
      expect(deployEnv("staging", { STAGING_SERVER_DIR: dir }).STAGING_SSH_USER).toBe("deploy");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The check read its own idea of dotenv's grammar (the eleventh hostile run): `KEY: value` (dotenv takes it) and a
  // quote that never closes (dotenv reads it as a plain value, and the next lines as settings) hid the second
  // assignment; an escaped quote closed a value dotenv read on. The lines are now the ones dotenv itself assigns.
  it.each([
    ["STAGING_SSH_HOST: old.example.com\nSTAGING_SSH_HOST=new.example.com\n", "lines 1 and 2"],
    ['STAGING_SSH_HOST="old.example.com\nSTAGING_SSH_HOST=new.example.com\n', "lines 1 and 2"],
    ['STAGING_SECRET_NOTE="a" # "\nSTAGING_SSH_HOST=a\nSTAGING_SSH_USER="\nSTAGING_SSH_HOST=b\n', "lines 2 and 4"],
  ])("refuses %j, as dotenv reads it (%s)", (text, lines) => {
    const dir = mkdtempSync(join(tmpdir(), "settings-twice-"));
    try {
      writeFileSync(join(dir, "deploy.env"), text);
      expect(() => deployEnv("staging", { STAGING_SERVER_DIR: dir })).toThrow(
        new RegExp(`deploy\\.env sets STAGING_SSH_HOST twice \\(${lines}\\)`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes a value holding an escaped quote and KEY= lines as dotenv does: one setting", () => {
    const dir = mkdtempSync(join(tmpdir(), "settings-twice-"));
    try {
      writeFileSync(
        join(dir, "deploy.env"),
        'STAGING_SECRET_NOTE="x \\"\nSTAGING_SSH_USER=a\n"\nSTAGING_SSH_USER=deploy\n',
      );
      expect(deployEnv("staging", { STAGING_SERVER_DIR: dir }).STAGING_SSH_USER).toBe("deploy");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A command that only reads over ssh (`staging-commit`, `metrics`, E2E's record on staging) traps no signal: a Ctrl-C
 * (or a cancelled job's SIGTERM) while its ssh waited ended Node by the signal's default action, without 'exit', so the
 * run's key copy stayed in the key holder until a later run swept it (the thirteenth hostile run).
 */
describe("a stop signal to a command that traps none", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "removes the run's key copy at %s, and the signal still ends it",
    async (sig) => {
      const { key, pub } = keyPair();
      const tmp = mkdtempSync(join(tmpdir(), "untrapped-"));
      chmodSync(tmp, 0o700);
      // A port that takes the connection and never answers: ssh waits on the banner.
      const { createServer } = await import("node:net");
      const server = createServer(() => undefined).listen(0, "127.0.0.1");
      await new Promise((ok) => server.once("listening", ok));
      const port = String((server.address() as { port: number }).port);
      const pipeline = join(import.meta.dirname, "../../../scripts/pipeline.ts");
      try {
        // As `npm run pipeline` runs it (exec node --import tsx): tsx's own CLI would exit through 'exit' at a signal.
        const child = spawn(process.execPath, ["--import", "tsx", pipeline, "staging-commit"], {
          cwd: join(import.meta.dirname, "../../.."),
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            TMPDIR: tmp,
            STAGING_SERVER_DIR: tmp,
            ...settings({ STAGING_SSH_HOST: "127.0.0.1", STAGING_SSH_PORT: port, STAGING_SSH_KEY: key }),
            STAGING_KNOWN_HOSTS: `[127.0.0.1]:${port} ${pub}`,
          },
          stdio: "ignore",
        });
        const ended = new Promise<[number | null, string | null]>((ok) => child.on("close", (c, s) => ok([c, s])));
        const copies = () => keyCopyDirs(tmp).flatMap((d) => readdirSync(d).map((f) => join(d, f)));
        for (let i = 0; i < 200 && !copies().some((f) => f.endsWith("/key")); i++)
          await new Promise((ok) => setTimeout(ok, 100));
        expect(
          copies().some((f) => f.endsWith("/key")),
          "the run wrote its key copy",
        ).toBe(true);
        child.kill(sig);
        const [code, signal] = await ended;
        expect(signal === sig || code === 128 + (sig === "SIGINT" ? 2 : 15), `${code} ${signal}`).toBe(true);
        expect(copies()).toEqual([]);
      } finally {
        server.close();
        rmSync(tmp, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
