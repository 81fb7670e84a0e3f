/**
 * One command as a user types it in module mode: the lab's `dagger` CLI run from the repository root against the
 * lab's engine, argv exactly as written in a row (secrets only as env:// or file:// references). Its exit code, time
 * and first meaningful line become a row of the module-mode table; stdout and stderr are kept under $OUT/module/.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { labOut } from "../results";
import { ROOT } from "../steps/sources";

export interface ModuleRow {
  row: string;
  /** The command line as typed (after `dagger`), shown in the table. */
  argv: string[];
  /** The exit code the row passes with (the README's promise for that case). */
  expect: number;
  /** Extra checks on a finished command: a message when something is wrong. */
  check?(out: Typed): string | undefined;
  /** Env the command sees besides the lab's client env (the values env:// references name). */
  env?: Record<string, string>;
  /** Where the command is typed (default: the repository root), e.g. a plain clone for the git rows. */
  cwd?: string;
  /** Work before the command (e.g. plant a finding and restart the app); it may set argv (new URLs). */
  before?(row: ModuleRow): Promise<void>;
}

export interface Typed {
  exit: number;
  seconds: number;
  stdout: string;
  stderr: string;
}

export interface RowResult {
  row: string;
  command: string;
  expect: number;
  exit: number;
  seconds: number;
  status: "passed" | "failed";
  firstLine: string;
  /** The 1-minute load average when the command ended (2 cores shared with other sessions). */
  load?: number;
}

const DAGGER = join(
  process.env.ENGINE_LAB_CACHE ?? join(process.env.HOME ?? "/root", ".cache/engine-lab"),
  "bin/dagger",
);

/** Run `dagger <argv>` from `cwd` (the repository root by default); never throws for a non-zero exit. */
export function typeCommand(argv: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<Typed> {
  const t = performance.now();
  const p = spawn(DAGGER, argv, {
    cwd,
    env: { ...process.env, ...env, DAGGER_NO_NAG: "1", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  p.stdout.on("data", (b: Buffer) => out.push(b));
  p.stderr.on("data", (b: Buffer) => err.push(b));
  return new Promise((ok, fail) => {
    p.on("error", fail);
    p.on("close", (code, signal) =>
      ok({
        exit: code ?? (signal ? 128 : 1),
        seconds: (performance.now() - t) / 1000,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** The line a reader wants first: stdout's first line on success, else the CLI's error line. */
export function firstLine(t: Pick<Typed, "exit" | "stdout" | "stderr">): string {
  const lines = (s: string) =>
    s
      .replace(ANSI, "") // the CLI bolds the table header even with NO_COLOR
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
  if (t.exit === 0) return lines(t.stdout)[0] ?? lines(t.stderr).at(-1) ?? "";
  const err = lines(t.stderr);
  return (
    err.find((l) => /input error:|^Error:|^! /.test(l)) ??
    err.filter((l) => !/^\d+\s*:|^(┃|│|╰|▼|▶|✔|✘)/.test(l)).at(-1) ??
    lines(t.stdout)[0] ??
    ""
  ).slice(0, 300);
}

/** Type one row's command and judge it; its output is kept as $OUT/module/<row>.{stdout,stderr}. */
export async function runRow(r: ModuleRow, log: (s: string) => void): Promise<RowResult> {
  await r.before?.(r);
  const command = ["dagger", ...r.argv].join(" ");
  log(`${r.row}: ${command}${r.cwd ? ` (in ${r.cwd})` : ""} ...`);
  const t = await typeCommand(r.argv, r.env, r.cwd);
  const dir = join(labOut(), "module");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${r.row}.stdout`), t.stdout);
  writeFileSync(join(dir, `${r.row}.stderr`), t.stderr);
  const problem = t.exit !== r.expect ? `exit ${t.exit}, expected ${r.expect}` : r.check?.(t);
  const status = problem ? "failed" : "passed";
  const line = firstLine(t);
  log(`${r.row} ${status} (exit ${t.exit}, ${t.seconds.toFixed(1)} s): ${problem ? `${problem}; ` : ""}${line}`);
  return {
    row: r.row,
    command,
    expect: r.expect,
    exit: t.exit,
    seconds: t.seconds,
    status,
    firstLine: problem ? `${problem}: ${line}` : line,
    load: Number(loadavg()[0].toFixed(1)),
  };
}
