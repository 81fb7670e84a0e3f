/**
 * The module-mode rows that need no server: module load (`dagger functions`), fast-tests (cold, warm, on a copy of
 * examples/library), plan, check-commits, init, and each function's --help. Commands are the README's and the
 * workflows' lines with this repository's values; `call` places the arguments the way the CLI takes them.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../steps/sources";
import type { ModuleRow, Typed } from "./typed";

/** Arguments of Ci's constructor: the CLI takes them before the function name (`dagger call --source X fast-tests`). */
const CONSTRUCTOR = new Set(["source", "repo", "config"]);

/** `dagger call [ctor flags] fn [fn flags] [chain...]`: flags given as [name, value] pairs. */
export function call(fn: string, flags: [string, string][] = [], chain: string[] = []): string[] {
  const ctor = flags.filter(([n]) => CONSTRUCTOR.has(n)).flatMap(([n, v]) => [`--${n}`, v]);
  const own = flags.filter(([n]) => !CONSTRUCTOR.has(n)).flatMap(([n, v]) => [`--${n}`, v]);
  return ["call", ...ctor, fn, ...own, ...chain];
}

export const sha = (rev: string) => execFileSync("git", ["rev-parse", rev], { cwd: ROOT, encoding: "utf8" }).trim();
const has = (re: RegExp, what: string) => (t: Typed) => (re.test(t.stdout) ? undefined : `stdout lacks ${what}`);

/** Module load, twice: the first on a fresh engine is the cold load (runtime image, SDK codegen, npm install). */
export function loadRows(runs: number): ModuleRow[] {
  const fns = has(/fast-tests/, "fast-tests in the function list");
  return [
    { row: "functions-cold", argv: ["functions"], expect: 0, check: fns },
    ...Array.from({ length: runs }, (_, i) => ({
      row: `functions-warm-${i + 1}`,
      argv: ["functions"],
      expect: 0,
      check: fns,
    })),
  ];
}

/** A copy of examples/app with a new file in frontend/ and backend/: a new upload whose lockfiles did not change. */
function changedApp(scratch: string, name: string): string {
  const dir = join(scratch, name);
  cpSync(join(ROOT, "examples/app"), dir, { recursive: true, filter: (s) => !/node_modules|\.venv|\.next/.test(s) });
  for (const d of ["frontend", "backend"]) writeFileSync(join(dir, d, "engine-lab-run.txt"), `${name} ${Date()}\n`);
  return dir;
}

/**
 * fast-tests on the embedded example app (cold), then warm on changed copies (each a new upload, so the jobs run again
 * while the installs keyed on the lockfiles stay cached: an identical upload would be served whole from the cache),
 * and on a copy of examples/library.
 */
export function fastRows(runs: number, scratch: string): ModuleRow[] {
  const lib = join(scratch, "library");
  cpSync(join(ROOT, "examples/library"), lib, {
    recursive: true,
    filter: (s) => !/node_modules|\.venv|\.next/.test(s),
  });
  const passed = has(/passed|PASS/i, "a passed summary");
  return [
    { row: "fast-tests-cold", argv: call("fast-tests"), expect: 0, check: passed },
    ...Array.from({ length: runs }, (_, i) => ({
      row: `fast-tests-warm-${i + 1}`,
      argv: call("fast-tests", [["source", changedApp(scratch, `warm-${i + 1}`)]]),
      expect: 0,
      check: passed,
    })),
    // The library's names differ from the defaults (type-check, library/, TEST_MONGO_URI): as a user would, write its
    // pipeline.yaml with init first; without it the defaults fail its typecheck and pytest (run of 2026-12-04 20:36).
    {
      row: "fast-tests-library-init",
      argv: call("init", [["source", lib]], ["export", "--path", join(lib, "pipeline.yaml")]),
      expect: 0,
      check: () => (existsSync(join(lib, "pipeline.yaml")) ? undefined : "no pipeline.yaml written"),
    },
    { row: "fast-tests-library", argv: call("fast-tests", [["source", lib]]), expect: 0, check: passed },
  ];
}

/**
 * A plain clone of this repository, as a user has one. check-commits needs the repository's git data in the upload:
 * `--repo` defaults to the context root, and in a git worktree (or a submodule) `.git` is a file naming a directory
 * outside it, which the engine cannot upload (`fatal: not a git repository`, exit 128).
 */
export function plainClone(scratch: string): string {
  const dir = join(scratch, "clone");
  execFileSync("git", ["clone", "--quiet", "--no-hardlinks", ROOT, dir], { stdio: "inherit" });
  return dir;
}

/** plan and check-commits (typed in a plain clone) on this repository; init on a copy of the example app, exported. */
export function gitRows(scratch: string): ModuleRow[] {
  const clone = plainClone(scratch);
  const app = join(scratch, "init-app");
  cpSync(join(ROOT, "examples/app"), app, { recursive: true, filter: (s) => !/node_modules|\.venv|\.next/.test(s) });
  const yaml = join(scratch, "init-pipeline.yaml");
  return [
    {
      row: "plan",
      argv: call("plan", [
        ["event", "push"],
        ["branch", "develop"],
      ]),
      expect: 0,
    },
    {
      row: "check-commits",
      argv: call("check-commits", [["base", sha("HEAD~3")]]),
      expect: 0,
      cwd: clone,
      check: has(/conventional commits: 3 commit/, "'conventional commits: 3 commit(s)'"),
    },
    {
      row: "init",
      argv: call("init", [["source", app]], ["export", "--path", yaml]),
      expect: 0,
      check: () => (existsSync(yaml) && /frontend|backend/.test(readFileSync(yaml, "utf8")) ? undefined : `no ${yaml}`),
    },
  ];
}

/** `dagger call <fn> --help` for every function `dagger functions` listed. */
export function helpRows(functionsOutput: string): ModuleRow[] {
  const names = functionsOutput
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[0])
    .filter((n) => /^[a-z][a-z-]*$/.test(n) && n !== "name");
  return names.map((n) => ({
    row: `help-${n}`,
    argv: ["call", n, "--help"],
    expect: 0,
    check: has(/USAGE|Usage/, "usage"),
  }));
}

/** A scratch directory for copies and exports. */
export const scratchDir = () => mkdtempSync(join(tmpdir(), "engine-lab-module-"));
