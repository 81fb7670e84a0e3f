import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeSandbox, repositoryArgv } from "../../../scripts/host/sandbox";

/**
 * A hostile pull request's lint script cannot read the runner's secrets in the sandbox, so it plants code for later:
 * somewhere a program the runner starts outside the sandbox, with the secrets in its environment, will run it. The
 * 2026-12-06 seventh hostile run found three such places the sandbox left writable: the repository's own .git (the
 * runner's git then runs `core.fsmonitor`, `remote.*.uploadpack`, `core.sshCommand` or a hook it names), the folders
 * on the runner's PATH (a planted `ssh` or `git` runs in the next deploy), and tsx's transform cache in the temp dir
 * (the runner's next `tsx scripts/pipeline.ts` loads a planted transform of its own code), and a startup file the user
 * has not got (~/.gitconfig, ~/.npmrc), which a command could create.
 */
const PIPELINE_ROOT = resolve(import.meta.dirname, "../../..");

/** The folders above `dir`, nearest first, up to /. */
function ancestors(dir: string): string[] {
  const up: string[] = [];
  for (let d = dirname(dir); ; d = dirname(d)) {
    up.push(d);
    if (d === dirname(d)) return up;
  }
}

function rmEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not there, or not empty: left as it is.
  }
}

const CANARY = `planted "quoted" $HOME \`id\` with spaces\nand a second line`;

/** Runs `script` (node) confined as a repository command in `cwd`; returns what it printed. */
function confined(script: string, cwd: string, runner: NodeJS.ProcessEnv): string {
  const argv = repositoryArgv(["node", "-e", script], cwd, { ...runner, PIPELINE_SANDBOX: "require" });
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, env: runner, encoding: "utf8", timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** A script that tries to append CANARY to each path in `paths`, creating folders on the way. */
const plant = (paths: string[]) => `
const fs = require("fs"), path = require("path");
for (const p of ${JSON.stringify(paths)}) {
  try { fs.mkdirSync(path.dirname(p), { recursive: true }); fs.appendFileSync(p, ${JSON.stringify(CANARY)}); console.log("planted " + p); }
  catch (e) { console.log("refused " + p + " " + e.code); }
}`;

describe.runIf(probeSandbox().ok)("a confined repository command, planting code the runner later runs", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "sandbox-plant-"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("cannot change its repository's git config or hooks, in a clone or in a worktree of one", () => {
    const repo = join(root, "repo");
    mkdirSync(join(repo, "frontend"), { recursive: true });
    const git = (cwd: string, ...args: string[]) => spawnSync("git", args, { cwd, encoding: "utf8" });
    git(repo, "init", "-q");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "c");
    const wt = join(root, "wt");
    git(repo, "worktree", "add", "-q", wt);
    mkdirSync(join(wt, "frontend"));
    const config = readFileSync(join(repo, ".git/config"), "utf8");
    const targets = (dir: string) => [join(dir, ".git/config"), join(dir, ".git/hooks/pre-commit")];
    const out = confined(plant(targets(repo)), join(repo, "frontend"), process.env);
    const wtDir = join(repo, ".git/worktrees/wt");
    const wtOut = confined(
      plant([join(repo, ".git/config"), join(wtDir, "config.worktree")]),
      join(wt, "frontend"),
      process.env,
    );
    expect(out + wtOut).not.toContain("planted");
    expect(readFileSync(join(repo, ".git/config"), "utf8")).toBe(config);
    expect(existsSync(join(repo, ".git/hooks/pre-commit"))).toBe(false);
    expect(existsSync(join(wtDir, "config.worktree"))).toBe(false);
  });

  it("cannot plant a program in a folder on the runner's PATH, there or not yet", () => {
    const bin = join(root, "bin");
    mkdirSync(bin);
    const later = join(root, "later/bin");
    const runner = { ...process.env, PATH: `${bin}:${later}:${process.env.PATH}` };
    const repo = join(root, "repo-path");
    mkdirSync(repo);
    const out = confined(plant([join(bin, "ssh"), join(later, "git")]), repo, runner);
    expect(out).toContain(`refused ${join(bin, "ssh")} EROFS`);
    // One not there yet may be written in the sandbox, to a tmpfs that goes with it.
    expect(existsSync(join(bin, "ssh"))).toBe(false);
    expect(existsSync(join(later, "git"))).toBe(false);
  });

  it("cannot change what a program on the runner's PATH runs: a link's target, a version manager's own files", () => {
    // The eighth hostile run: .tools/bin/uv is a link to ~/.pyenv/versions/3.11.7/bin/uv, and pyenv's shims on PATH
    // run ~/.pyenv/libexec/pyenv, its hooks and its versions: the PATH folders were read-only, those were not.
    const tool = join(root, "tool/bin");
    const shims = join(root, "manager/shims");
    const bin = join(root, "links");
    for (const d of [tool, shims, bin, join(root, "manager/libexec"), join(root, "manager/versions/1/bin")])
      mkdirSync(d, { recursive: true });
    writeFileSync(join(tool, "uv"), "#!/bin/sh\n");
    symlinkSync(join(tool, "uv"), join(bin, "uv"));
    writeFileSync(join(shims, "python"), '#!/bin/sh\nexec "$(dirname "$0")/../libexec/manager" exec python "$@"\n');
    const runner = { ...process.env, PATH: `${bin}:${shims}:${process.env.PATH}` };
    const repo = join(root, "repo-links");
    mkdirSync(repo);
    const targets = [
      join(tool, "uv"),
      join(root, "manager/libexec/manager"),
      join(root, "manager/manager.d/exec/hook.bash"),
      join(root, "manager/versions/1/bin/python"),
      join(root, "manager/version"),
    ];
    const out = confined(plant(targets), repo, runner);
    expect(out).not.toContain("planted");
    expect(readFileSync(join(tool, "uv"), "utf8")).toBe("#!/bin/sh\n");
    expect(targets.slice(1).filter((t) => existsSync(t))).toEqual([]);
  });

  it("cannot change what a program on the runner's PATH links to, in its prefix's lib (npm's own code, as nvm installs it)", () => {
    // bin/npm -> ../lib/node_modules/npm/bin/npm-cli.js: the folder on PATH is read-only, the code it runs was not.
    const prefix = join(root, "nvm/versions/node/v20");
    mkdirSync(join(prefix, "bin"), { recursive: true });
    mkdirSync(join(prefix, "lib/node_modules/npm/bin"), { recursive: true });
    const cli = join(prefix, "lib/node_modules/npm/bin/npm-cli.js");
    writeFileSync(cli, "");
    symlinkSync("../lib/node_modules/npm/bin/npm-cli.js", join(prefix, "bin/npm"));
    const repo = join(root, "repo-prefix");
    mkdirSync(repo);
    const out = confined(plant([cli, join(prefix, "lib/node_modules/npm/lib/cli.js")]), repo, {
      ...process.env,
      PATH: `${join(prefix, "bin")}:${process.env.PATH}`,
    });
    expect(out).not.toContain("planted");
    expect(readFileSync(cli, "utf8")).toBe("");
  });

  it("cannot change the system's programs, libraries or configuration, even on a runner that is root", () => {
    // As root, /etc (bash.bashrc, which bash run by sshd reads; ld.so.preload) and /usr were the command's to change.
    const targets = [`/etc/planted-by-test-${process.pid}`, `/usr/local/lib/planted-by-test-${process.pid}`];
    const repo = join(root, "repo-system");
    mkdirSync(repo);
    try {
      const out = confined(plant(targets), repo, process.env);
      expect(out).not.toContain("planted ");
      for (const t of targets) expect(existsSync(t), t).toBe(false);
    } finally {
      for (const t of targets) rmSync(t, { force: true });
    }
  });

  it("cannot plant a transform in tsx's cache, which the runner's next tsx would load", () => {
    const cache = join(tmpdir(), `tsx-${process.getuid?.() ?? 0}`);
    const probe = join(cache, `0-planted-by-test-${process.pid}`);
    try {
      confined(plant([probe]), root, process.env);
      expect(existsSync(probe)).toBe(false);
    } finally {
      rmSync(probe, { force: true });
    }
  });

  it("cannot plant in tsx's cache or read an old key dir when TMPDIR is a relative path", () => {
    // bubblewrap reads a relative mount point from /, so `h8b-tmp/tsx-0` masked /h8b-tmp/tsx-0, not the cache.
    const tmp = join(root, "rel-tmp");
    const old = join(tmp, "deploy-ssh-1-old");
    mkdirSync(old, { recursive: true });
    writeFileSync(join(old, "key"), "");
    const cache = join(tmp, `tsx-${process.getuid?.() ?? 0}`);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = relative(process.cwd(), tmp);
    try {
      // Both are masked with a tmpfs of the sandbox's own: a write may succeed there, and goes with it.
      confined(plant([join(cache, "0-planted"), join(old, "key")]), root, process.env);
      expect(existsSync(join(cache, "0-planted"))).toBe(false);
      expect(readFileSync(join(old, "key"), "utf8")).toBe("");
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it("cannot create a startup file or folder the user has not got, which the runner's git, npm or shell would read", () => {
    const home = join(root, "bare-home");
    mkdirSync(home);
    const repo = join(root, "repo-home");
    mkdirSync(repo);
    const files = [".gitconfig", ".npmrc", ".config/git/config", ".local/bin/git", "bin/ssh", ".zshenv"];
    confined(plant(files.map((f) => join(home, f))), repo, { ...process.env, HOME: home });
    // bubblewrap may leave an empty file or folder where it masked one; nothing planted is there.
    const left = files.filter((f) => existsSync(join(home, f)) && readFileSync(join(home, f), "utf8") !== "");
    expect(left).toEqual([]);
    expect(existsSync(join(home, ".bash_profile"))).toBe(false);
  });

  it("cannot create ~/.ssh/rc where the user has no ~/.ssh: sshd runs it at every login, the bundled staging's too", () => {
    const home = join(root, "no-ssh-home");
    mkdirSync(home);
    const repo = join(root, "repo-ssh");
    mkdirSync(repo);
    const files = [".ssh/rc", ".ssh/authorized_keys", ".netrc", ".kube/config"];
    confined(plant(files.map((f) => join(home, f))), repo, { ...process.env, HOME: home });
    const left = files.filter((f) => existsSync(join(home, f)) && readFileSync(join(home, f), "utf8") !== "");
    expect(left).toEqual([]);
  });
});

describe.runIf(probeSandbox().ok)("a confined repository command, planting a module for the runner's node", () => {
  /**
   * The eighth hostile run: tsx's CLI, which starts every `npx tsx scripts/pipeline.ts …`, asks for `fsevents` (absent
   * on Linux) in a try/catch, so Node looks in each node_modules above the checkout, then ~/.node_modules,
   * ~/.node_libraries and <prefix>/lib/node; a module planted there ran in the runner with its secrets.
   */
  it("cannot create ~/.node_modules or ~/.node_libraries, which the runner's next tsx would load", () => {
    const root = mkdtempSync(join(tmpdir(), "sandbox-node-"));
    try {
      const home = join(root, "home");
      mkdirSync(home);
      const ran = join(root, "ran");
      const code = `require("fs").writeFileSync(${JSON.stringify(ran)}, "ran"); throw new Error("absent");`;
      const script = `
const fs = require("fs"), path = require("path");
for (const p of ${JSON.stringify([".node_modules/fsevents/index.js", ".node_libraries/fsevents.js"])}) {
  const f = path.join(process.env.HOME, p);
  try { fs.mkdirSync(path.dirname(f), { recursive: true }); fs.writeFileSync(f, ${JSON.stringify(code)}); } catch {}
}`;
      const env = { ...process.env, HOME: home };
      const repo = join(root, "repo");
      mkdirSync(repo);
      confined(script, repo, env);
      // What tsx's CLI does at start, outside the sandbox.
      spawnSync("node", ["-e", `try { require("fsevents"); } catch {}`], { cwd: root, env, encoding: "utf8" });
      expect(existsSync(ran)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("cannot write a node_modules above this pipeline's checkout, nor <prefix>/lib/node, where Node looks next", () => {
    const root = mkdtempSync(join(tmpdir(), "sandbox-node-up-"));
    try {
      const fallbacks = [
        ...ancestors(PIPELINE_ROOT).map((d) => join(d, "node_modules")),
        resolve(dirname(process.execPath), "../lib/node"),
      ];
      // A probe, not a module: one left there by a failing run would be loaded by no runner.
      const probe = `sandbox-probe-${process.pid}`;
      const before = fallbacks.filter((d) => existsSync(d));
      try {
        confined(plant(fallbacks.map((d) => join(d, probe))), root, process.env);
        expect(fallbacks.filter((d) => existsSync(join(d, probe)))).toEqual([]);
      } finally {
        for (const d of fallbacks) {
          rmSync(join(d, probe), { force: true });
          // An empty folder the plant (or bubblewrap, for its mount) made there.
          if (!before.includes(d)) rmEmpty(d);
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.runIf(probeSandbox().ok)("a confined repository command, planting in this pipeline's checkout", () => {
  /**
   * The eighth hostile run: only a list of the checkout's files was read-only, so a command could create its
   * `.npmrc`, whose `node-options=--require …` the next `npm run pipeline -- deploy-staging` obeys, with the secrets.
   */
  it("cannot create or change a file in it (an .npmrc the next `npm run pipeline` reads)", () => {
    const root = mkdtempSync(join(tmpdir(), "sandbox-checkout-"));
    const npmrc = join(PIPELINE_ROOT, ".npmrc");
    const had = existsSync(npmrc) ? readFileSync(npmrc, "utf8") : undefined;
    try {
      const out = confined(plant([npmrc]), root, process.env);
      expect(out).toContain(`refused ${npmrc}`);
      const asked = `
const fs = require("fs");
for (const d of ${JSON.stringify([PIPELINE_ROOT, join(PIPELINE_ROOT, "docs"), join(PIPELINE_ROOT, "examples")])})
  try { fs.accessSync(d, fs.constants.W_OK); console.log("writable " + d); } catch {}`;
      expect(confined(asked, root, process.env)).toBe("");
      // Its examples are repositories the runner's own flows run commands in: to those, they stay writable.
      const inExample = confined(asked, join(PIPELINE_ROOT, "examples/app/frontend"), process.env);
      expect(inExample).toBe(`writable ${join(PIPELINE_ROOT, "examples")}\n`);
    } finally {
      if (had === undefined) rmSync(npmrc, { force: true });
      else writeFileSync(npmrc, had);
    }
  });
});

describe.runIf(probeSandbox().ok)("a confined repository command, on a runner that is root", () => {
  /**
   * The eighth hostile run: run as root (as here), a repository command could write the whole system, which every
   * program the runner starts reads: /etc/gitconfig (a `core.fsmonitor` the runner's git runs), /etc/ld.so.preload
   * (a library in every program), npm's own code under /usr/lib/node_modules (the next `npx tsx scripts/pipeline.ts`).
   */
  it("cannot change the system's folders (/etc, /usr …), while its repository, home and temp dir stay its own", () => {
    const root = mkdtempSync(join(tmpdir(), "sandbox-system-"));
    try {
      const system = ["/etc", "/usr", "/usr/lib", "/usr/local", "/opt", "/var/lib"].filter((d) => existsSync(d));
      // Asked, not written: a probe left in /etc by a failing run would be no one's.
      const script = `
const fs = require("fs");
for (const d of ${JSON.stringify(system)}.concat([process.cwd(), process.env.HOME, require("os").tmpdir()])) {
  try { fs.accessSync(d, fs.constants.W_OK); console.log("writable " + d); } catch (e) { console.log("refused " + d + " " + e.code); }
}`;
      const out = confined(script, root, process.env);
      for (const d of system) expect(out).not.toContain(`writable ${d}\n`);
      expect(out).toContain(`writable ${root}\n`);
      expect(out).toContain(`writable ${process.env.HOME}\n`);
      expect(out).toContain(`writable ${tmpdir()}\n`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.runIf(probeSandbox().ok)("a confined repository command in a GitHub Actions step", () => {
  it("cannot write the step's file commands ($GITHUB_ENV, $GITHUB_PATH …), which set later steps' environment", () => {
    const root = mkdtempSync(join(tmpdir(), "file-commands-"));
    try {
      const names = ["GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_STEP_SUMMARY"];
      const runner: NodeJS.ProcessEnv = { ...process.env };
      for (const n of names) {
        runner[n] = join(root, `_runner_file_commands/${n.toLowerCase()}_0c5e`);
        mkdirSync(join(root, "_runner_file_commands"), { recursive: true });
        writeFileSync(runner[n]!, "");
      }
      const repo = join(root, "repo");
      mkdirSync(repo);
      // NODE_OPTIONS in the next step's environment would run the planted file in `deploy-staging`.
      confined(plant(names.map((n) => runner[n]!)), repo, runner);
      for (const n of names) expect(readFileSync(runner[n]!, "utf8"), n).toBe("");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
