import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callCi, type CiFunction } from "../../support/ciCall";
import { graphOf, type JobGraph } from "../../support/graph";
import { containerCalls, startRecorder, type Chain } from "../../support/recorder";
import {
  DEPLOYED,
  e2eArgs,
  ranExec,
  realisticAnswer,
  sshdOn,
  stagingArgs,
  stagingBase,
} from "../../support/e2eRecording";

const SHA = DEPLOYED;

/**
 * A run container as the contract compares it: its JobGraph and where directories are mounted (IDs normalised away).
 */
type RunGraph = JobGraph & { mounts: string[] };

type Dag = typeof import("@dagger.io/dagger").dag;

/** Record one Dagger function call; return the graphs of the containers it ran, sorted. */
async function record(name: CiFunction, args: (dag: Dag) => Record<string, unknown>): Promise<RunGraph[]> {
  // Answered as after a green run (so the success notification is asked for) on a staging that runs SHA.
  const rec = await startRecorder({ answer: realisticAnswer(sshdOn()) });
  const saved = { ...process.env };
  Object.assign(process.env, rec.env, { E2E_SLACK: "slack-token", E2E_KEY: "key", E2E_KNOWN: "known" });
  try {
    const { connection, dag } = await import("@dagger.io/dagger");
    await connection(async () => {
      await (await callCi<{ sync(): Promise<unknown> }>(name, args(dag))).sync();
    });
  } finally {
    process.env = saved;
    await rec.close();
  }
  const runs = rec.chains.filter(ranExec);
  return runs.map(runGraph).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function runGraph(ch: Chain): RunGraph {
  const calls = containerCalls(ch);
  const mounts = [
    ...new Set(calls.filter((c) => c.field === "withDirectory").map((c) => c.args.path as string)),
  ].sort();
  const g = graphOf(calls);
  // A fresh id per call by design (never replayed): the same graph otherwise.
  if (g.env.PIPELINE_RUN_ID) g.env.PIPELINE_RUN_ID = "<per call>";
  return { ...g, mounts };
}

/**
 * One plan, on one engine or across machines: the containers `e2e --shards 4` runs are exactly
 * those of `e2e-shard --index 1..4 --total 4` plus `e2e-merge --total 4`, recorded with the real
 * SDK client (no engine), compared as graphs with the object IDs normalised away.
 */
describe("e2e --shards 4 = e2e-shard 1..4 ∪ e2e-merge (recorded GraphQL requests)", () => {
  let staging: Server;
  let url: string;
  let whole: RunGraph[];
  let shards: RunGraph[][];
  let merge: RunGraph[];

  beforeAll(async () => {
    staging = createServer((_, res) => res.writeHead(200).end("ok"));
    await new Promise<void>((r) => staging.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(staging.address() as AddressInfo).port}`;
    const blobs = mkdtempSync(join(tmpdir(), "blobs-"));
    for (let i = 1; i <= 4; i++) writeFileSync(join(blobs, `report-${i}.zip`), "");
    const base = stagingBase();
    const notifyAndRecord = (dag: Dag) => ({
      slackWebhook: dag.secret("env://E2E_SLACK"),
      notifySuccess: true,
      commit: SHA,
      ...stagingArgs(dag, base),
    });
    whole = await record("endToEnd", (dag) => e2eArgs(dag, url, { shards: 4, ...notifyAndRecord(dag) }));
    shards = [];
    for (let i = 1; i <= 4; i++)
      shards.push(await record("endToEndShard", (dag) => e2eArgs(dag, url, { index: i, total: 4 })));
    merge = await record("endToEndMerge", (dag) => ({
      ...e2eArgs(dag, url),
      blobs: dag.host().directory(blobs),
      total: 4,
      ...notifyAndRecord(dag),
    }));
  }, 120_000);
  afterAll(() => staging?.close());

  it("runs exactly one Playwright shard container per e2e-shard call, each a different shard", () => {
    expect(shards.map((s) => s.length)).toEqual([1, 1, 1, 1]);
    expect(shards.map((s) => s[0].execs.at(-1)?.find((a) => a.startsWith("--shard=")))).toEqual([
      "--shard=1/4",
      "--shard=2/4",
      "--shard=3/4",
      "--shard=4/4",
    ]);
  });

  it("runs the merge (fed at .e2e/blobs), the backend E2E, the notification, the two ssh reads and the record in e2e-merge", () => {
    expect(merge.find((g) => g.execs.some((a) => a.includes("merge-reports")))?.mounts).toContain(
      "/src/frontend/.e2e/blobs",
    );
    expect(merge.some((g) => g.execs.some((a) => a.includes("pytest")))).toBe(true);
    // Staging is read twice: the commit to test, then the release and artifact digest the record names.
    expect(merge.filter((g) => g.execs.some((a) => a.join(" ").includes("readlink current")))).toHaveLength(2);
    expect(merge).toHaveLength(6);
  });

  it("records for e2e --shards 4 exactly the union of the e2e-shard 1..4 and e2e-merge graphs", () => {
    const union = [...shards.flat(), ...merge].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(whole).toHaveLength(10);
    expect(whole).toEqual(union);
  });
});
