import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  e2eArgs,
  EXAMPLE,
  execsOf,
  lastDirectory,
  ranContainers,
  recordCall,
  startStaging,
  writtenFiles,
  type EngineAnswers,
  type RecordedCall,
} from "../../support/e2eRecording";
import { callsUnder, type Chain, type LeafFailure } from "../../support/recorder";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type Dag = typeof import("@dagger.io/dagger").dag;

/** The shard index whose Playwright exec a chain (or an object it reads) runs, else undefined. */
function shardRun(chain: Chain): number | undefined {
  const pw = callsUnder(chain).find(
    (c) =>
      c.field === "withExec" &&
      (c.args.args as string[]).includes("test") &&
      String(c.args.args).includes("--reporter=blob"),
  );
  const m = pw && /--shard=(\d+)\//.exec((pw.args.args as string[]).join(" "));
  return m ? Number(m[1]) : undefined;
}

/** Shard `index` dies before writing its blob: it exits 1, and its blob dir does not exist. */
function diesBeforeBlob(index: number): EngineAnswers {
  const missing = (chain: Chain): LeafFailure | undefined =>
    callsUnder(chain).some((c) => c.field === "directory" && c.args.path === `/src/frontend/.e2e/blob-${index}`) &&
    shardRun(chain) !== undefined
      ? { message: `lstat /src/frontend/.e2e/blob-${index}: no such file or directory` }
      : undefined;
  return {
    answer: (field, chain) =>
      field === "exitCode" && shardRun(chain) === index && lastDirectory(chain) === undefined ? 1 : undefined,
    fail: missing,
  };
}

/** Shard `index` is OOM-killed: exit 137, outside ReturnType.Any, so every leaf on it raises ExecError. */
function oomKilled(index: number): EngineAnswers {
  return {
    fail: (chain) =>
      callsUnder(chain).some((c) => c.field === "withExec" && String(c.args.args).includes(`--shard=${index}/`))
        ? { exec: { argv: ["npx", "--no-install", "playwright", "test"], exitCode: 137, stdout: "", stderr: "Killed" } }
        : undefined,
  };
}

/** merge-reports on a blob dir that holds nothing: "No report files found", exit 1, no report dir. */
const mergeWithoutBlobs: EngineAnswers["fail"] = (chain) => {
  const calls = callsUnder(chain);
  const merges = calls.some((c) => c.field === "withExec" && (c.args.args as string[]).includes("merge-reports"));
  const fed = calls.some((c) => c.field === "withDirectory" && c.args.path === "/src/frontend/.e2e/blobs");
  return merges && !fed && lastDirectory(chain)?.endsWith("/.e2e/report")
    ? { message: "lstat /src/frontend/.e2e/report: no such file or directory" }
    : undefined;
};

function both(...a: EngineAnswers[]): EngineAnswers {
  return {
    answer: (f, ch) => a.map((x) => x.answer?.(f, ch)).find((v) => v !== undefined),
    fail: (ch) => a.map((x) => x.fail?.(ch)).find((v) => v !== undefined),
  };
}

const status = (r: RecordedCall) => writtenFiles(r.rec).get("status");
const summary = (r: RecordedCall) => writtenFiles(r.rec).get("summary.txt") ?? "";

/**
 * A red shard must give a red report, never a crashed run: the report names the shard and the command to re-run it.
 * The recorder answers as the engine does: a missing blob dir fails the leaf that reads it, exit 137 raises ExecError.
 */
describe("a red shard never crashes the E2E run (recorded GraphQL requests)", () => {
  let staging: { url: string; close(): void };
  const e2e = (engine: EngineAnswers) =>
    recordCall("endToEnd", (dag: Dag) => e2eArgs(dag, staging.url, { shards: 3 }), engine);
  beforeAll(async () => {
    staging = await startStaging();
  });
  afterAll(() => staging?.close());

  it("returns a red report naming shard 2 and its re-run command when it died before writing its blob", async () => {
    const r = await e2e(diesBeforeBlob(2));
    expect(r.error).toBeUndefined();
    expect(status(r)).toBe("failed\n");
    expect(summary(r)).toMatch(/PROBLEM shard 2 of 3 .*no blob report/);
    expect(summary(r)).toContain("dagger call end-to-end-shard --index 2 --total 3 --suite smoke");
  }, 60_000);

  it("returns a red report naming shard 3, exit 137, when the OOM killer ended it (ExecError despite expect ANY)", async () => {
    const r = await e2e(oomKilled(3));
    expect(r.error).toBeUndefined();
    expect(status(r)).toBe("failed\n");
    expect(summary(r)).toMatch(/PROBLEM shard 3 of 3 .*exit 137/);
    expect(summary(r)).toContain("dagger call end-to-end-shard --index 3 --total 3 --suite smoke");
  }, 60_000);

  it("skips merge-reports and returns a red report when no shard wrote a blob", async () => {
    const r = await e2e(both(diesBeforeBlob(1), diesBeforeBlob(2), diesBeforeBlob(3), { fail: mergeWithoutBlobs }));
    expect(r.error).toBeUndefined();
    expect(status(r)).toBe("failed\n");
    expect(ranContainers(r.rec).some((c) => execsOf(c).some((a) => a.includes("merge-reports")))).toBe(false);
    expect(summary(r)).toMatch(/PROBLEM no blob report at all/);
  }, 60_000);
});

describe("a red shard never crashes end-to-end-shard or end-to-end-merge (recorded GraphQL requests)", () => {
  let staging: { url: string; close(): void };
  beforeAll(async () => {
    staging = await startStaging();
  });
  afterAll(() => staging?.close());
  const shard = (engine: EngineAnswers) =>
    recordCall("endToEndShard", (dag: Dag) => e2eArgs(dag, staging.url, { index: 2, total: 3 }), engine);

  it("returns an empty blob directory when the shard died before writing its blob", async () => {
    expect((await shard(diesBeforeBlob(2))).error).toBeUndefined();
  }, 60_000);

  it("returns an empty blob directory when the shard was OOM-killed (exit 137)", async () => {
    expect((await shard(oomKilled(2))).error).toBeUndefined();
  }, 60_000);

  it("returns a red report without running merge-reports when --blobs holds no blob", async () => {
    const empty = mkdtempSync(join(tmpdir(), "no-blobs-"));
    const r = await recordCall(
      "endToEndMerge",
      (dag: Dag) => ({
        blobs: dag.host().directory(empty),
        baseUrl: staging.url,
        apiUrl: staging.url,
        source: dag.host().directory(EXAMPLE),
        total: 3,
        suite: "smoke",
        readyAttempts: 1,
        readyInterval: 0,
      }),
      { fail: mergeWithoutBlobs },
    );
    expect(r.error).toBeUndefined();
    expect(status(r)).toBe("failed\n");
    expect(ranContainers(r.rec).some((c) => execsOf(c).some((a) => a.includes("merge-reports")))).toBe(false);
    expect(summary(r)).toContain("dagger call end-to-end-shard --index 1 --total 3");
  }, 60_000);
});
