/** Run one workflow file for one event under nektos/act on this host, with the pinned actions from local copies. */
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { freePort } from "../host/services";
import { join, resolve } from "node:path";
import { spawn } from "node:child_process";
import { parse } from "yaml";
import { parseActCalls } from "./actLog";
import { interpolate, type Value } from "./expr";

const ROOT = resolve(import.meta.dirname, "../..");
export const ACT = join(ROOT, ".tools/bin/act");
export const STAND_IN_BIN = join(ROOT, "scripts/workflows/bin");

export interface ActSetup {
  actionsDir: string;
  secretFile: string;
  artifactDir: string;
  gitConfig: string;
  logDir: string;
  /**
   * A directory holding a real `dagger` CLI to put on PATH instead of the stand-in (`--dagger`), and the engine it
   * talks to, given to the jobs as `vars.DAGGER_ENGINE` (the workflows' `_EXPERIMENTAL_DAGGER_RUNNER_HOST`).
   */
  realDagger?: { dir: string; engine: string };
}

export interface ActRun {
  code: number;
  /** Each job's result as act reported it; a job act never started (its `if` was false) is absent. */
  jobs: Record<string, "success" | "failure">;
  log: string;
  /**
   * The dagger calls of this run: the stand-in's own log lines, or with the real CLI what act's log shows of each
   * `dagger call` step (actLog.ts). `head` is the app's commit; `pipeline`, the stand-in's only, the commit of the
   * checkout whose pipeline ran (they differ in Deploy Production, which runs main's pipeline on the commit's app).
   */
  calls: { fn: string; commit?: string; head: string; pipeline?: string; exit: number; at?: string }[];
}

/** The `--local-repository` flags: every `uses: owner/repo@sha` of the workflows, from its archived copy. */
export function localRepositoryFlags(actionsDir: string): string[] {
  const dir = join(ROOT, ".github/workflows");
  const text = ["test-suite", "deploy-staging", "e2e-staging", "deploy-production"]
    .map((f) => readFileSync(join(dir, `${f}.yml`), "utf8"))
    .join("\n");
  const pins = [...new Set([...text.matchAll(/uses: ([\w.-]+\/[\w.-]+@[0-9a-f]{40})/g)].map((m) => m[1]))];
  return pins.flatMap((p) => ["--local-repository", `${p}=${join(actionsDir, p)}`]);
}

/** act <event> -W <file> -e <payload> in `workdir`; resolves when act exits, never rejects on a red run. */
export async function runAct(
  setup: ActSetup,
  o: {
    label: string;
    workdir: string;
    file: string;
    event: string;
    payload: unknown;
    /** github.run_id: the artifacts of one run are apart from another's. */
    runId: number;
    /** Repository variables (`vars.*`). */
    vars?: Record<string, string>;
  },
): Promise<ActRun> {
  mkdirSync(setup.logDir, { recursive: true });
  const base = join(setup.logDir, o.label);
  writeFileSync(`${base}.event.json`, `${JSON.stringify(o.payload, null, 2)}\n`);
  const standInLog = `${base}.standin.jsonl`;
  writeFileSync(standInLog, "");
  const argv = [
    o.event,
    ...["-W", `.github/workflows/${o.file}`, "-e", `${base}.event.json`],
    ...["-P", "ubuntu-latest=-self-hosted", "--no-skip-checkout", "--action-offline-mode", "--no-cache-server"],
    ...localRepositoryFlags(setup.actionsDir),
    ...["--artifact-server-path", setup.artifactDir, "--artifact-server-port", String(await freePort())],
    ...["--secret-file", setup.secretFile, "--env", `STANDIN_LOG=${standInLog}`, "--env", `GITHUB_RUN_ID=${o.runId}`],
    ...Object.entries({ ...(setup.realDagger ? { DAGGER_ENGINE: setup.realDagger.engine } : {}), ...o.vars }).flatMap(
      ([k, v]) => ["--var", `${k}=${v}`],
    ),
  ];
  const env = {
    ...process.env,
    PATH: `${setup.realDagger?.dir ?? STAND_IN_BIN}:${process.env.PATH}`,
    // A self-hosted runner with its engine configured: every job finds it (not only those reading vars.DAGGER_ENGINE).
    ...(setup.realDagger ? { _EXPERIMENTAL_DAGGER_RUNNER_HOST: setup.realDagger.engine, DAGGER_NO_NAG: "1" } : {}),
    GIT_CONFIG_GLOBAL: setup.gitConfig,
    STANDIN_LOG: standInLog,
  };
  const log = await new Promise<{ code: number; text: string }>((res) => {
    const p = spawn(ACT, argv, { cwd: o.workdir, env, stdio: ["ignore", "pipe", "pipe"] });
    // Written as it goes, so a long hop can be followed with tail -f.
    const file = createWriteStream(`${base}.log`);
    let text = "";
    const take = (c: Buffer) => ((text += c.toString()), file.write(c));
    p.stdout.on("data", take);
    p.stderr.on("data", take);
    p.on("close", (code) => file.end(() => res({ code: code ?? 1, text })));
  });
  const jobs: ActRun["jobs"] = {};
  for (const m of log.text.matchAll(/^\[[^/\]]+\/([^\]]+)\]\s+🏁\s+Job (succeeded|failed)/gmu))
    jobs[m[1].trim()] = m[2] === "succeeded" ? "success" : "failure";
  const calls = setup.realDagger
    ? parseActCalls(log.text)
    : readFileSync(standInLog, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as ActRun["calls"][number]);
  return { code: log.code, jobs, log: `${base}.log`, calls };
}

/** A workflow's `concurrency.group` evaluated with the context values in `ctx` (as GitHub does before any job runs). */
export function concurrencyOf(file: string, ctx: Record<string, Value | undefined>): string | undefined {
  const wf = parse(readFileSync(join(ROOT, ".github/workflows", file), "utf8")) as {
    concurrency?: { group: string };
  };
  return wf.concurrency ? String(interpolate(wf.concurrency.group, ctx)) : undefined;
}
