/**
 * The stand-in `dagger` (scripts/workflows/bin/dagger): reads the real CLI line, maps it to the host runner's command
 * and settings (standInMap.ts), runs `npm run pipeline -- ...` in the checkout, and says loudly that it did. Used by
 * the workflow replay unless it is given a real CLI (`--dagger`).
 */
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { parseDaggerLine, StandInRefusal } from "./daggerLine";
import { hostCall, type HostCall } from "./standInMap";
import { ALLOWED_RUNNER_VARIABLES } from "../../ci/src/plan/env";

const VERSION = "v0.21.9";
// What a self-hosted runner hands its jobs from the machine, as repository commands may see it: tools, locale, temp
// dirs, and the trust store and proxy a TLS-inspecting network needs (uv fails with UnknownIssuer without them).
const PASS_ENV = ALLOWED_RUNNER_VARIABLES;

function banner(h: HostCall): string {
  const shown = [...h.argv, ...Object.keys(h.env).map((k) => `${k}=${h.secretNames.includes(k) ? "***" : h.env[k]}`)];
  return `#### STAND-IN dagger (not the Dagger CLI, no engine): npm run pipeline -- ${h.command} ${shown.join(" ")}`;
}

/** The checkout has no node_modules or .tools: link the project's, as a runner's cache would provide them. */
function linkTools(): void {
  for (const [name, from] of [
    ["node_modules", process.env.PIPELINE_NODE_MODULES],
    [".tools", process.env.PIPELINE_TOOLS],
  ] as const)
    if (from && !existsSync(name)) symlinkSync(from, name);
}

/**
 * `npm <argv>`, its stdout printed as the real CLI prints a function's result: without a trailing newline when stdout
 * is not a terminal (dagger v0.21.8 cmd/dagger/functions.go adds one only for a TTY). So a job output such as
 * staging-commit's is the sha alone, as with the real CLI, not the sha and a newline (which `--commit "$COMMIT"`
 * would pass on).
 */
async function runResult(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const tty = process.stdout.isTTY;
  const p = spawn("npm", argv, { env, stdio: ["inherit", tty ? "inherit" : "pipe", "inherit"] });
  let held = Buffer.alloc(0);
  p.stdout?.on("data", (chunk: Buffer) => {
    const all = Buffer.concat([held, chunk]);
    const last = all.length > 0 && all[all.length - 1] === 0x0a;
    held = last ? all.subarray(all.length - 1) : Buffer.alloc(0);
    process.stdout.write(last ? all.subarray(0, all.length - 1) : all);
  });
  return new Promise((ok) => p.on("close", (code) => ok(code ?? 1)));
}

async function run(argv: string[]): Promise<number> {
  if (argv.includes("version")) {
    console.log(`dagger ${VERSION} STAND-IN: forwards dagger call to npm run pipeline (not the Dagger CLI)`);
    return 0;
  }
  const call = parseDaggerLine(argv);
  const h = hostCall(call, (s) => {
    if (s.kind === "file") return readFileSync(s.path, "utf8");
    const v = process.env[s.name];
    if (v === undefined) throw new StandInRefusal(`env://${s.name} is not set in the step's environment`);
    return v;
  });
  console.error(banner(h));
  linkTools();
  const state = h.exportAs === "report" ? mkdtempSync(join(tmpdir(), "standin-")) : undefined;
  const extra = state ? ["--state-dir", state] : h.exportAs === "out" ? ["--out", h.exportPath!] : [];
  const env = Object.fromEntries(PASS_ENV.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]));
  let code = await runResult(["run", "--silent", "pipeline", "--", h.command, ...h.argv, ...extra], {
    ...env,
    ...h.env,
  });
  if (state && h.exportPath) {
    const report = join(state, "e2e-report");
    if (existsSync(report)) {
      cpSync(report, resolve(h.exportPath), { recursive: true });
      // `dagger call end-to-end ... export` returns the report whatever the tests said: the verdict job reads it.
      if (code === 1)
        console.error("#### STAND-IN dagger: tests red, report exported; exit 0 like the Dagger function");
      code = code === 1 ? 0 : code;
    }
    rmSync(state, { recursive: true, force: true });
  }
  const at = h.argv.indexOf("--commit");
  const source = h.argv.indexOf("--source");
  log(
    { fn: call.fn, commit: at < 0 ? undefined : h.argv[at + 1], exit: code },
    source < 0 ? undefined : h.argv[source + 1],
  );
  return code;
}

/**
 * One JSON line per call for the replay's report: the function, the commit it was given, the app's HEAD (--source's
 * checkout, else the working one) as `head`, and the HEAD of the checkout whose pipeline ran as `pipeline`.
 */
function log(entry: { fn: string; commit?: string; exit: number }, source: string | undefined): void {
  const file = process.env.STANDIN_LOG;
  if (!file) return;
  const headOf = (dir: string) =>
    spawnSync("git", ["-C", dir, "rev-parse", "HEAD"], { encoding: "utf8" }).stdout?.trim();
  const [pipeline, cwd] = [headOf("."), process.cwd()];
  const head = source === undefined ? pipeline : headOf(source);
  appendFileSync(file, `${JSON.stringify({ ...entry, head, pipeline, cwd, at: new Date().toISOString() })}\n`);
}

Promise.resolve()
  .then(() => run(process.argv.slice(2)))
  .then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof StandInRefusal ? `#### ${e.message}` : e);
      process.exit(e instanceof StandInRefusal ? 2 : 1);
    },
  );
