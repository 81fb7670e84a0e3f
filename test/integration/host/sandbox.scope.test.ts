import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enterScopeDirs, probeSandbox } from "../../../scripts/host/sandbox";
import { runPipeline, type CliResult } from "../../support/cli";

/**
 * A pull request's code is not reviewed yet: its confined lint could still write the runner's package caches (a line
 * appended to a wheel in ~/.cache/uv was installed by the next `uv sync --frozen`, hashes in uv.lock notwithstanding),
 * which another branch's run then installs from. A pull request's commands get a home and temp dir of their own,
 * the runner's home read-only (plan/triggers/cacheScope.ts). Run as a user runs it: `frontend-checks --event-file`,
 * whose lint script tries to poison the shared cache and writes its own.
 */
describe.runIf(probeSandbox().ok)("a pull request's repository commands on the host runner: caches of its own", () => {
  let root: string;
  let home: string;
  let repo: string;
  const shared = () => join(home, ".cache/uv/wheel.py");
  const scopeHome = (n: number) => join(home, ".cache/pipeline-scopes", `pr-${n}`, "home");

  /** Run frontend-checks for `event` (a payload), the runner's HOME the fake one. */
  const run = (event: object, extra: NodeJS.ProcessEnv = {}): Promise<CliResult> => {
    const file = join(root, `event-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(event));
    const args = ["frontend-checks", "--source", repo, "--report-dir", join(root, "reports"), "--event-file", file];
    return runPipeline(args, { ...process.env, HOME: home, ...extra });
  };
  const pr = (number: number) => ({
    number,
    pull_request: { base: { sha: "a".repeat(40), ref: "main" }, head: { sha: "b".repeat(40), ref: "fork/x" } },
  });
  const push = { ref: "refs/heads/main", before: "a".repeat(40), after: "b".repeat(40) };
  /** What the lint script reported, one `key=value` a line after `PROBE>`. */
  const probe = (r: CliResult) =>
    Object.fromEntries(
      r.stdout
        .split("\n")
        .filter((l) => l.includes("PROBE>"))
        .map((l) => l.slice(l.indexOf("PROBE>") + 6).split("=")),
    );

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "scope-"));
    home = join(root, "home");
    mkdirSync(join(home, ".cache/uv"), { recursive: true });
    writeFileSync(shared(), "clean\n");
    repo = join(root, "repo");
    mkdirSync(join(repo, "frontend"), { recursive: true });
    mkdirSync(join(repo, "backend"));
    const script = `
const fs = require("fs"), path = require("path"), os = require("os");
const say = (k, v) => console.log("PROBE>" + k + "=" + v);
const tryTo = (k, f) => { try { f(); say(k, "done"); } catch (e) { say(k, e.code); } };
say("home", os.homedir()); say("tmp", os.tmpdir());
say("sawPr17", fs.existsSync(path.join(os.homedir(), ".cache/uv/pr17.py")));
tryTo("poisonShared", () => fs.appendFileSync(${JSON.stringify(shared())}, "import os; os.system('id')\\n"));
tryTo("poisonPr17", () => fs.writeFileSync(${JSON.stringify(join(scopeHome(17), ".cache/uv/x.py"))}, "x"));
tryTo("ownCache", () => { fs.mkdirSync(path.join(os.homedir(), ".cache/uv"), { recursive: true }); fs.writeFileSync(path.join(os.homedir(), ".cache/uv", process.env.MARK + ".py"), "mine"); });
tryTo("ownRepo", () => fs.writeFileSync("written.txt", "x"));
`;
    writeFileSync(join(repo, "frontend/probe.js"), script);
    writeFileSync(
      join(repo, "frontend/package.json"),
      JSON.stringify({ name: "p", scripts: { lint: "node probe.js" } }),
    );
    const yaml = "frontend:\n  install: node --version\n  steps:\n    lint: npm run lint\n  env:\n    MARK: pr17\n";
    writeFileSync(join(repo, "pipeline.yaml"), yaml);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("gives pull request 17's lint a home of its own; the runner's caches are read-only to it", async () => {
    const r = await run(pr(17));
    expect(r.exitCode, r.output).toBe(0);
    const seen = probe(r);
    expect(seen.home).toBe(scopeHome(17));
    expect(seen.tmp).toBe(join(home, ".cache/pipeline-scopes/pr-17/tmp"));
    expect(seen.poisonShared).toBe("EROFS");
    expect(readFileSync(shared(), "utf8")).toBe("clean\n");
    expect(seen.ownCache).toBe("done");
    expect(seen.ownRepo).toBe("done");
    expect(existsSync(join(scopeHome(17), ".cache/uv/pr17.py"))).toBe(true);
    expect(r.stdout).toMatch(/^caches: pr-17's own/m);
  }, 120_000);

  it("keeps pull request 17's caches from pull request 18 and from a push, and 18 cannot write 17's", async () => {
    writeFileSync(
      join(repo, "pipeline.yaml"),
      readFileSync(join(repo, "pipeline.yaml"), "utf8").replace("pr17", "pr18"),
    );
    const other = await run(pr(18));
    expect(other.exitCode, other.output).toBe(0);
    expect(probe(other)).toMatchObject({ home: scopeHome(18), sawPr17: "false", poisonPr17: "EROFS" });
    expect(existsSync(join(scopeHome(17), ".cache/uv/x.py"))).toBe(false);
    const main = await run(push);
    expect(main.exitCode, main.output).toBe(0);
    // The push's code is the repository's own: it shares the runner's caches, and never sees a pull request's.
    expect(probe(main)).toMatchObject({ home, sawPr17: "false", poisonShared: "done" });
    expect(main.stdout).not.toMatch(/^caches:/m);
  }, 120_000);

  /**
   * The temp folders every run shares: jest keeps its transform cache in `$TMPDIR/jest_<uid>` and runs what it finds
   * there (a pull request's lint that rewrote an entry, checksum recomputed, had the next push's jest run its code).
   */
  it("gives a pull request's command temp folders of its own: nothing it writes in the runner's TMPDIR, /tmp, /var/tmp or /dev/shm is left for a push", async () => {
    const runnerTmp = join(root, "runner-tmp");
    mkdirSync(runnerTmp);
    const mark = `scope-probe-${process.pid}-${Date.now()}`;
    const places = [join(runnerTmp, "jest_0"), join("/tmp", mark), join("/var/tmp", mark), join("/dev/shm", mark)];
    writeFileSync(
      join(repo, "frontend/plant.js"),
      `const fs = require("fs");
for (const p of ${JSON.stringify(places)}) {
  try { fs.mkdirSync(p, { recursive: true }); fs.writeFileSync(p + "/cache.js", "planted"); console.log("PROBE>" + p + "=done"); }
  catch (e) { console.log("PROBE>" + p + "=" + e.code); }
  console.log("PROBE>saw " + p + "=" + fs.existsSync(p + "/cache.js"));
}
`,
    );
    writeFileSync(
      join(repo, "pipeline.yaml"),
      "frontend:\n  install: node --version\n  steps:\n    lint: node plant.js\n",
    );
    try {
      const r = await run(pr(20), { TMPDIR: runnerTmp });
      expect(r.exitCode, r.output).toBe(0);
      // Its own: it may write them (a tool that ignores TMPDIR still works), and reads back what it wrote.
      for (const p of places) expect(probe(r)[`saw ${p}`], p).toBe("true");
      for (const p of places) expect(existsSync(join(p, "cache.js")), p).toBe(false);
    } finally {
      for (const p of places) rmSync(p, { recursive: true, force: true });
    }
  }, 120_000);

  /**
   * Outside its checkout, home and temp folders, the machine is not a pull request's to change: on a root runner it
   * could write /run, /mnt or a self-hosted runner's own folder (its actions' code, which the job's later steps run).
   */
  it("keeps every folder outside its checkout, home and temp folders read-only to a pull request's command", async () => {
    const mark = `scope-probe-${process.pid}-${Date.now()}`;
    // And `/` itself (the eleventh hostile run): a new entry there, or a top-level link (/lib64 -> usr/lib64 holds the
    // loader every program starts with) pointed elsewhere.
    const places = ["/run", "/mnt", "/media", "/home", "/srv", "/"]
      .filter((d) => existsSync(d))
      .map((d) => join(d, mark));
    const link = `/${mark}-link`;
    if (process.geteuid?.() === 0) symlinkSync("tmp", link);
    writeFileSync(
      join(repo, "frontend/plant.js"),
      `const fs = require("fs");
for (const p of ${JSON.stringify(places)}) {
  try { fs.mkdirSync(p); console.log("PROBE>" + p + "=done"); } catch (e) { console.log("PROBE>" + p + "=" + e.code); }
}
try { fs.rmSync(${JSON.stringify(link)}, { force: true }); fs.symlinkSync("/root", ${JSON.stringify(link)}); console.log("PROBE>link=done"); }
catch (e) { console.log("PROBE>link=" + e.code); }
try { fs.writeFileSync("written.txt", "x"); console.log("PROBE>ownRepo=done"); } catch (e) { console.log("PROBE>ownRepo=" + e.code); }
`,
    );
    writeFileSync(
      join(repo, "pipeline.yaml"),
      "frontend:\n  install: node --version\n  steps:\n    lint: node plant.js\n",
    );
    try {
      expect(places.length).toBeGreaterThan(1);
      const r = await run(pr(21));
      expect(r.exitCode, r.output).toBe(0);
      for (const p of places) expect(["EROFS", "EACCES"], p).toContain(probe(r)[p]);
      for (const p of places) expect(existsSync(p), p).toBe(false);
      expect(probe(r).ownRepo).toBe("done");
      expect(["EROFS", "EACCES"]).toContain(probe(r).link);
      if (process.geteuid?.() === 0) expect(readlinkSync(link)).toBe("tmp");
    } finally {
      for (const p of places) rmSync(p, { recursive: true, force: true });
      rmSync(link, { force: true });
    }
  }, 120_000);

  it("keeps the runner's home read-only to a pull request's command when HOME is unset (tools fall back to it)", async () => {
    const userHome = userInfo().homedir;
    const planted = join(userHome, `.scope-probe-${process.pid}-${Date.now()}`);
    writeFileSync(
      join(repo, "frontend/plant.js"),
      `const fs = require("fs");
try { fs.writeFileSync(${JSON.stringify(planted)}, "planted"); console.log("PROBE>plant=done"); }
catch (e) { console.log("PROBE>plant=" + e.code); }
console.log("PROBE>home=" + require("os").homedir());
`,
    );
    writeFileSync(
      join(repo, "pipeline.yaml"),
      "frontend:\n  install: node --version\n  steps:\n    lint: node plant.js\n",
    );
    const env = { ...process.env };
    delete env.HOME;
    const file = join(root, "event-nohome.json");
    writeFileSync(file, JSON.stringify(pr(21)));
    const args = ["frontend-checks", "--source", repo, "--report-dir", join(root, "reports"), "--event-file", file];
    try {
      const r = await runPipeline(args, env);
      expect(r.exitCode, r.output).toBe(0);
      expect(probe(r).plant).toBe("EROFS");
      expect(existsSync(planted)).toBe(false);
      // Its scopes are kept in the user's home too, not in a temp folder every user (and command) can write.
      expect(probe(r).home).toBe(join(userHome, ".cache/pipeline-scopes/pr-21/home"));
    } finally {
      rmSync(planted, { force: true });
      rmSync(join(userHome, ".cache/pipeline-scopes/pr-21"), { recursive: true, force: true });
    }
  }, 120_000);

  it("still gives a pull request's command its own home when the sandbox is off (its caches apart by default)", async () => {
    const r = await run(pr(19), { PIPELINE_SANDBOX: "off" });
    expect(r.exitCode, r.output).toBe(0);
    expect(probe(r).home).toBe(scopeHome(19));
  }, 120_000);
});

describe("enterScopeDirs", () => {
  it("makes the scope's private home and temp dir and keeps only the most recently used scopes, links unfollowed", () => {
    const root = mkdtempSync(join(tmpdir(), "scopes-"));
    const outside = join(root, "..", `${root.split("/").at(-1)}-outside`);
    mkdirSync(outside);
    writeFileSync(join(outside, "keep.txt"), "kept");
    try {
      for (const [n, age] of [
        ["pr-1", 300],
        ["pr-2", 200],
        ["pr-3", 100],
      ] as const) {
        enterScopeDirs(root, n, 10);
        symlinkSync(outside, join(root, n, "home", "link"));
        const t = new Date(Date.now() - age * 1000);
        utimesSync(join(root, n), t, t);
      }
      const dirs = enterScopeDirs(root, "pr-4", 2);
      expect(dirs).toEqual({ home: join(root, "pr-4/home"), tmp: join(root, "pr-4/tmp") });
      expect(["pr-1", "pr-2", "pr-3", "pr-4"].filter((n) => existsSync(join(root, n)))).toEqual(["pr-3", "pr-4"]);
      expect(readFileSync(join(outside, "keep.txt"), "utf8")).toBe("kept");
      expect(() => enterScopeDirs(root, "../x")).toThrow(/not a cache scope/);
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

/**
 * A pull request's commands write its checkout (node_modules, .venv, .next, __pycache__, any untracked file), and
 * `git checkout` keeps what git does not track: a `backend/conftest.py` its lint left there ran in the next push's
 * pytest, in the shared caches. A checkout a pull request's run used is that code's until it is clean again.
 */
describe.runIf(probeSandbox().ok)("a checkout a pull request's run used", () => {
  let root: string;
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", repo, "-c", "user.email=t@t", "-c", "user.name=t", ...args], { encoding: "utf8" });
  const run = (...trigger: string[]): Promise<CliResult> =>
    runPipeline(["frontend-checks", "--source", repo, "--report-dir", join(root, "reports"), ...trigger], {
      ...process.env,
      HOME: join(root, "home"),
    });

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "scope-checkout-"));
    mkdirSync(join(root, "home"));
    repo = join(root, "repo");
    mkdirSync(join(repo, "frontend"), { recursive: true });
    mkdirSync(join(repo, "backend"));
    writeFileSync(join(repo, "backend/app.py"), "");
    const lint = `require("fs").writeFileSync("../backend/conftest.py", "print('planted')\\n"); console.log("LINT RAN");`;
    writeFileSync(join(repo, "frontend/lint.js"), lint);
    writeFileSync(
      join(repo, "frontend/package.json"),
      JSON.stringify({ name: "t", scripts: { lint: "node lint.js" } }),
    );
    writeFileSync(
      join(repo, "pipeline.yaml"),
      "frontend:\n  install: node --version\n  steps:\n    lint: npm run lint\n",
    );
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "feat: base");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("refuses a push's run, or another pull request's, there until it is clean; the same pull request's runs go on", async () => {
    expect((await run("--event", "pull_request")).exitCode).toBe(0);
    expect(git("status", "--porcelain")).toContain("backend/conftest.py");
    const again = await run("--event", "pull_request");
    expect(again.exitCode, again.output).toBe(0);
    const push = await run();
    expect(push.exitCode, push.output).toBe(2);
    // Typed by hand, the pull request is known by its head commit (cacheScope.ts), not the one scope `pr` of them all.
    expect(push.stderr).toContain(
      `${repo} was used by a pull request's run (pr-commit-${git("rev-parse", "HEAD").trim()})`,
    );
    expect(push.stderr).toContain(`git -C ${repo} clean -ffdx`);
    expect(push.stdout).not.toContain("LINT RAN");
    git("clean", "-ffdx");
    const clean = await run();
    expect(clean.exitCode, clean.output).toBe(0);
    expect(clean.stdout).toContain("LINT RAN");
  }, 180_000);
});

/**
 * The eleventh hostile run: the commit holds a submodule (a gitlink, `sub`), which a checkout leaves an empty folder.
 * The pull request's lint makes `sub/.git` a repository whose config sets `core.fsmonitor` to a command. The next
 * push's run checks the checkout with `git status`, outside the sandbox: git asks every populated submodule for its
 * state with a `git status` of its own, which ran the planted command with the runner's environment (its secrets),
 * and reported nothing, so the push's run went on. With `ignore = all` in the commit's .gitmodules, git did not even
 * look: whatever the lint left in `sub/` was not reported. The runner's check runs no git in a submodule; a
 * submodule's folder that holds anything is a file the pull request may have left.
 */
describe.runIf(probeSandbox().ok)("a checkout a pull request's run made a submodule's repository in", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "scope-submodule-"));
    mkdirSync(join(root, "home"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ["as git asks it", ""],
    ["with ignore = all in .gitmodules", "\tignore = all\n"],
  ])(
    "refuses the next push's run without running the submodule's git (%s)",
    async (name, ignore) => {
      const repo = join(root, name.replace(/\W+/g, "-"));
      const marker = `${repo}.fsmonitor-ran`;
      const git = (...args: string[]) =>
        execFileSync("git", ["-C", repo, "-c", "user.email=t@t", "-c", "user.name=t", ...args], { encoding: "utf8" });
      const run = (...trigger: string[]): Promise<CliResult> =>
        runPipeline(["frontend-checks", "--source", repo, "--report-dir", join(root, "reports"), ...trigger], {
          ...process.env,
          HOME: join(root, "home"),
          GITHUB_TOKEN: "h11b-runner-secret",
        });
      mkdirSync(join(repo, "frontend"), { recursive: true });
      mkdirSync(join(repo, "backend"));
      writeFileSync(join(repo, "backend/app.py"), "");
      const hook = `echo "ran $GITHUB_TOKEN" >> ${marker}; exit 1`;
      const lint = [
        `const { execFileSync } = require("child_process");`,
        `execFileSync("git", ["init", "-q", "../sub"]);`,
        `execFileSync("git", ["-C", "../sub", "config", "core.fsmonitor", ${JSON.stringify(hook)}]);`,
        `console.log("LINT RAN");`,
      ].join("\n");
      writeFileSync(join(repo, "frontend/lint.js"), lint);
      writeFileSync(
        join(repo, "frontend/package.json"),
        JSON.stringify({ name: "t", scripts: { lint: "node lint.js" } }),
      );
      writeFileSync(
        join(repo, "pipeline.yaml"),
        "frontend:\n  install: node --version\n  steps:\n    lint: npm run lint\n",
      );
      writeFileSync(join(repo, ".gitmodules"), `[submodule "sub"]\n\tpath = sub\n\turl = ./sub\n${ignore}`);
      git("init", "-q");
      git("add", "-A");
      git("update-index", "--add", "--cacheinfo", `160000,${"1".repeat(40)},sub`);
      git("commit", "-qm", "feat: base");
      mkdirSync(join(repo, "sub"));

      const pr = await run("--event", "pull_request");
      expect(pr.exitCode, pr.output).toBe(0);
      expect(existsSync(join(repo, "sub/.git/config"))).toBe(true);
      const push = await run();
      expect(existsSync(marker) ? readFileSync(marker, "utf8") : "").toBe("");
      expect(push.exitCode, push.output).toBe(2);
      // Typed by hand, the pull request is known by its head commit (cacheScope.ts), not the one scope `pr`.
      expect(push.stderr).toContain(
        `${repo} was used by a pull request's run (pr-commit-${git("rev-parse", "HEAD").trim()})`,
      );
      expect(push.stderr).toContain(`submodule folder ${join(repo, "sub")}`);
      expect(push.stdout).not.toContain("LINT RAN");
      // Emptied, the submodule's folder is as a checkout leaves it: the push's run goes on.
      rmSync(join(repo, "sub"), { recursive: true });
      mkdirSync(join(repo, "sub"));
      const clean = await run();
      expect(clean.exitCode, clean.output).toBe(0);
      expect(existsSync(marker)).toBe(false);
    },
    180_000,
  );
});
