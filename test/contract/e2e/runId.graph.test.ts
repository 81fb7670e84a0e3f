import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  e2eArgs,
  execsOf,
  imageOf,
  ranContainers,
  recordCall,
  startStaging,
  type RecordedCall,
} from "../../support/e2eRecording";
import type { Chain } from "../../support/recorder";

const CURL = "curlimages/curl:8.11.1";

/** The PIPELINE_RUN_ID a container sets before its last exec (so that exec is never replayed), else undefined. */
function runIdBeforeLastExec(calls: Chain): string | undefined {
  const lastExec = calls.map((c) => c.field).lastIndexOf("withExec");
  const at = calls.findIndex((c) => c.field === "withEnvVariable" && c.args.name === "PIPELINE_RUN_ID");
  return at >= 0 && at < lastExec ? (calls[at].args.value as string) : undefined;
}

type Kind = "shard" | "backend" | "webhook";

function kindOf(calls: Chain): Kind | undefined {
  const last = execsOf(calls).at(-1) ?? [];
  if (imageOf(calls) === CURL) return "webhook";
  if (last.includes("pytest")) return "backend";
  if (last.includes("playwright") && last.includes("test")) return "shard";
  return undefined;
}

/** The run id each shard, backend and webhook container of a recorded call carried. */
function runIds(r: RecordedCall): { kind: Kind; id?: string }[] {
  return ranContainers(r.rec).flatMap((calls) => {
    const kind = kindOf(calls);
    return kind ? [{ kind, id: runIdBeforeLastExec(calls) }] : [];
  });
}

/**
 * On a persistent engine, an exec with the same inputs is served from cache: the tests would not run again. Each call
 * gives its shards, backend E2E and webhook post a fresh PIPELINE_RUN_ID, so two calls differ in that input.
 */
describe("a fresh run id per E2E call (recorded GraphQL requests)", () => {
  let staging: { url: string; close(): void };
  let calls: RecordedCall[];
  let shardCall: RecordedCall;

  beforeAll(async () => {
    staging = await startStaging();
    const args = (dag: typeof import("@dagger.io/dagger").dag) =>
      e2eArgs(dag, staging.url, { shards: 2, slackWebhook: dag.secret("env://E2E_SLACK"), notifySuccess: true });
    const env = { E2E_SLACK: "https://hooks.example.com/slack" };
    calls = [];
    for (let i = 0; i < 2; i++) calls.push(await recordCall("endToEnd", args, {}, env));
    shardCall = await recordCall("endToEndShard", (dag) => e2eArgs(dag, staging.url, { index: 1, total: 2 }));
  }, 120_000);
  afterAll(() => staging?.close());

  it("runs the calls to the end", () => {
    expect(calls.map((c) => c.error)).toEqual([undefined, undefined]);
    expect(shardCall.error).toBeUndefined();
  });

  it("sets one run id, before the last exec, on every shard, the backend E2E and the webhook post of a call", () => {
    for (const c of calls) {
      const got = runIds(c);
      expect(got.map((x) => x.kind).sort()).toEqual(["backend", "shard", "shard", "webhook"]);
      expect(got.every((x) => typeof x.id === "string" && x.id.length >= 16)).toBe(true);
      expect(new Set(got.map((x) => x.id)).size).toBe(1);
    }
  });

  it("gives two calls different run ids", () => {
    const [a, b] = calls.map((c) => runIds(c)[0].id);
    expect(a).not.toBe(b);
  });

  it("gives the end-to-end-shard container a run id too", () => {
    expect(runIds(shardCall).map((x) => [x.kind, typeof x.id])).toEqual([["shard", "string"]]);
  });
});
