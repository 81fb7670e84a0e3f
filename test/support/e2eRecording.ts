/**
 * Record one E2E function call with the real SDK client and answer its leaves as an engine would after a real run:
 * each shard's blob, the merged report's files and results.json, the backend JUnit, staging's current release.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { callCi, type CiFunction } from "./ciCall";
import { containerCalls, startRecorder, type Chain, type RecorderOptions, type Recording } from "./recorder";
import { pass, reportOf, type FakeTest } from "./pwReport";

export const EXAMPLE = resolve(import.meta.dirname, "../../examples/app");
export const SHA = "0123456789abcdef0123456789abcdef01234567";

type Dag = typeof import("@dagger.io/dagger").dag;

/** What a recorded call left: the recording, and the call's value or error. */
export interface RecordedCall {
  rec: Recording;
  value?: unknown;
  error?: unknown;
  /** Settles as the call did: `await expect(r.outcome).rejects.toThrow(Kind)`. */
  outcome: Promise<unknown>;
}

/** How the fake engine answers: the merged results.json's tests, and any extra rule (checked first). */
export interface EngineAnswers {
  tests?: Record<string, FakeTest[]>;
  answer?: RecorderOptions["answer"];
  fail?: RecorderOptions["fail"];
}

/**
 * The arguments every recorded E2E call gives: staging at `url` for both the frontend and the API, the example app as
 * source, the smoke suite and one readiness try; `more` adds or overrides the function's own.
 */
export function e2eArgs(dag: Dag, url: string, more: Record<string, unknown> = {}): Record<string, unknown> {
  const source = dag.host().directory(EXAMPLE);
  return { baseUrl: url, apiUrl: url, source, suite: "smoke", readyAttempts: 1, readyInterval: 0, ...more };
}

/** The arguments that point an E2E call at the fixture staging `base` over pinned ssh (env E2E_KEY, E2E_KNOWN). */
export function stagingArgs(dag: Dag, base: string): Record<string, unknown> {
  return {
    stagingHost: "staging.example.com",
    stagingUser: "deploy",
    stagingBasePath: base,
    stagingPort: 2222,
    stagingSshKey: dag.secret("env://E2E_KEY"),
    stagingKnownHosts: dag.secret("env://E2E_KNOWN"),
  };
}

/** A loopback "staging" that answers every readiness probe with 200. */
export async function startStaging(): Promise<{ url: string; close(): void }> {
  const server: Server = createServer((_, res) => res.writeHead(200).end("ok"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/**
 * Call the Ci function `name` with the named args (built inside the connection), under a recorder; the
 * returned Directory is synced, as `export` would evaluate it. Never throws: the error is returned.
 */
export async function recordCall(
  name: CiFunction,
  args: (dag: Dag) => Record<string, unknown>,
  engine: EngineAnswers = {},
  env: Record<string, string> = {},
): Promise<RecordedCall> {
  const rec = await startRecorder({ answer: realisticAnswer(engine), fail: engine.fail });
  const saved = { ...process.env };
  Object.assign(process.env, rec.env, env);
  const out: RecordedCall = { rec, outcome: Promise.resolve() };
  try {
    const { connection, dag } = await import("@dagger.io/dagger");
    await connection(async () => {
      try {
        const v = await callCi<unknown>(name, args(dag));
        out.value = v && typeof v === "object" && "sync" in v ? await (v as { sync(): Promise<unknown> }).sync() : v;
      } catch (e) {
        out.error = e;
      }
    });
  } finally {
    process.env = saved;
    await rec.close();
  }
  out.outcome = "error" in out ? Promise.reject(out.error) : Promise.resolve(out.value);
  out.outcome.catch(() => undefined);
  return out;
}

/** The default answers of a green run: every blob written, merge-reports wrote html/json/junit, results all passed. */
export function realisticAnswer(engine: EngineAnswers): NonNullable<RecorderOptions["answer"]> {
  const json = JSON.stringify(reportOf(engine.tests ?? { "home.spec.ts": [pass("home renders @smoke")] }));
  return (field, chain) => {
    const given = engine.answer?.(field, chain);
    if (given !== undefined) return given;
    const dir = lastDirectory(chain);
    if (field === "entries" && dir?.endsWith("/.e2e/report")) return ["html/", "junit.xml", "results.json"];
    const blob = dir && /\/\.e2e\/blob-(\d+)$/.exec(dir);
    if (field === "entries" && blob) return [`report-${blob[1]}.zip`];
    if (field === "contents" && dir?.endsWith("/.e2e/report") && fileOf(chain) === "results.json") return json;
    if (field === "contents" && fileOf(chain) === "/src/backend/e2e-junit.xml") return BACKEND_JUNIT;
    return undefined;
  };
}

/** What pytest --junitxml writes for the backend's two E2E tests, both passed. */
const BACKEND_JUNIT = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="2" time="0.412"><testcase classname="tests.test_e2e" name="test_health" time="0.101" /><testcase classname="tests.test_e2e" name="test_books_roundtrip" time="0.289" /></testsuite></testsuites>`;

/** The path of the last `directory(path:)` read off a container in a chain. */
export function lastDirectory(chain: Chain): string | undefined {
  if (!chain.some((c) => c.field === "container")) return undefined;
  return [...chain].reverse().find((c) => c.field === "directory")?.args.path as string | undefined;
}

function fileOf(chain: Chain): string | undefined {
  return [...chain].reverse().find((c) => c.field === "file")?.args.path as string | undefined;
}

/** The containers the call ran (an `exitCode` or `stdout` leaf right after an exec), as call lists. */
export function ranContainers(rec: Recording): Chain[] {
  return rec.chains.filter(ranExec).map(containerCalls);
}

/** Whether a chain reads the result of its last exec: the container was run. */
export function ranExec(ch: Chain): boolean {
  return ["exitCode", "stdout"].includes(ch.at(-1)?.field ?? "") && ch.at(-2)?.field === "withExec";
}

/** Every file the call wrote with withNewFile, by path (the last write wins). */
export function writtenFiles(rec: Recording): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      const c = v as { field?: string; args?: Record<string, unknown> };
      if (c.field === "withNewFile") out.set(c.args!.path as string, c.args!.contents as string);
      Object.values(v).forEach(visit);
    }
  };
  rec.chains.forEach(visit);
  return out;
}

/** The argv of every exec of a container's calls, in order. */
export function execsOf(calls: Chain): string[][] {
  return calls.filter((c) => c.field === "withExec").map((c) => c.args.args as string[]);
}

/** The image a container's calls start from. */
export function imageOf(calls: Chain): string | undefined {
  return calls.find((c) => c.field === "from")?.args.address as string | undefined;
}

export const DEPLOYED = "89abcdef0123456789abcdef0123456789abcdef";
export const RELEASE = "20261129T201500Z-89abcde";

/** A staging DEPLOY_BASE laid out as the deploy leaves it: releases/<id>/REVISION, current, .dep/releases.jsonl. */
export function stagingBase(): string {
  const base = mkdtempSync(join(tmpdir(), "staging-base-"));
  mkdirSync(join(base, "releases", RELEASE), { recursive: true });
  mkdirSync(join(base, "releases", "20261128T101500Z-0123456"), { recursive: true });
  writeFileSync(join(base, "releases", RELEASE, "REVISION"), `${DEPLOYED}\n`);
  symlinkSync(`releases/${RELEASE}`, join(base, "current"));
  mkdirSync(join(base, ".dep"));
  const log = [
    { id: "20261128T101500Z-0123456", commit: "0123456789abcdef0123456789abcdef01234567", status: "deployed" },
    { id: RELEASE, commit: DEPLOYED, status: "started" },
    { id: RELEASE, commit: DEPLOYED, status: "deployed" },
  ];
  writeFileSync(join(base, ".dep/releases.jsonl"), log.map((e) => `${JSON.stringify(e)}\n`).join(""));
  return base;
}

/**
 * The engine's answer to an ssh exec to staging: its remote command (the argv's last word) run by a real shell on the
 * fixture base, as sshd would run it. Only `stdout` leaves of an ssh container are answered.
 */
export function sshdOn(): EngineAnswers {
  return {
    answer: (field, chain: Chain) => {
      if (field !== "stdout") return undefined;
      const last = execsOf(containerCalls(chain)).at(-1) ?? [];
      if (!last.includes("deploy@staging.example.com")) return undefined;
      return execFileSync("sh", ["-c", last.at(-1)!], { encoding: "utf8" });
    },
  };
}
