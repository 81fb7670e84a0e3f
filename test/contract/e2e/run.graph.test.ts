import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../../ci/src/plan/config/defaults";
import { CURL_IMAGE } from "../../../ci/src/dagger/e2e/run";
import { RECORD_SSH, recordWriteArgv, SSH_IMAGE } from "../../../ci/src/plan/e2e/record";
import { planE2e, type E2ePlan } from "../../../ci/src/plan/e2e/stage";
import { expectedGraph, graphOf } from "../../support/graph";
import { containerCalls, startRecorder, type Chain, type Recording } from "../../support/recorder";

const EXAMPLE = resolve(import.meta.dirname, "../../../examples/app");
const SHA = "0123456789abcdef0123456789abcdef01234567";
const TOKEN = 'T0KEN "quoted" $HOME and spaces';

/**
 * The Dagger path of `e2e`, checked with the real SDK client and no engine: the recorded
 * requests must hold N shard containers, then one merge container fed by every shard's
 * blob dir, each exactly as planned, and the webhook only as a secret variable.
 */
describe("e2e container graph (recorded GraphQL requests)", () => {
  let rec: Recording;
  let staging: Server;
  let plan: E2ePlan;
  let run: Chain[];

  beforeAll(async () => {
    staging = createServer((_, res) => res.writeHead(200).end("ok"));
    await new Promise<void>((r) => staging.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(staging.address() as AddressInfo).port}`;
    const files = ["about.spec.ts", "api-health.spec.ts", "books.spec.ts", "home.spec.ts", "navigation.spec.ts"];
    plan = planE2e(defaultConfig(), {
      suite: "smoke",
      shards: 3,
      files,
      timings: new Map(),
      baseUrl: url,
      apiUrl: url,
      playwrightVersion: "1.65.1",
    });
    rec = await startRecorder();
    const saved = { ...process.env };
    Object.assign(process.env, rec.env, {
      E2E_SLACK: TOKEN,
      E2E_KEY: "PRIVATE-KEY-PLAINTEXT",
      E2E_KNOWN: "KNOWN-HOSTS-PLAINTEXT",
    });
    try {
      const { connection, dag } = await import("@dagger.io/dagger");
      const { Ci } = await import("../../../ci/src/index");
      await connection(async () => {
        const ci = new Ci();
        await ci
          .endToEnd(
            url,
            url,
            dag.host().directory(EXAMPLE),
            3,
            "smoke",
            undefined,
            dag.secret("env://E2E_SLACK"),
            undefined,
            false,
            SHA,
            1,
            0,
            "pipeline.yaml",
            "staging.example.com",
            "deploy",
            "/srv/app",
            2222,
            dag.secret("env://E2E_KEY"),
            dag.secret("env://E2E_KNOWN"),
          )
          .then((d) => d.sync());
      });
    } finally {
      process.env = saved;
    }
    run = rec.chains.filter((ch) => ch.at(-1)?.field === "exitCode" && ch.some((c) => c.field === "container"));
  }, 60_000);
  afterAll(async () => {
    await rec?.close();
    staging?.close();
  });

  const image = (ch: Chain) => containerCalls(ch).find((c) => c.field === "from")?.args.address;
  const execs = (ch: Chain) =>
    containerCalls(ch)
      .filter((c) => c.field === "withExec")
      .map((c) => c.args.args as string[]);

  it("runs the N shards and the backend E2E first, each exactly as planned, keeping failures (expect ANY)", () => {
    const first = run.slice(0, plan.shardJobs.length + 1);
    const graphs = first.map((ch) => graphOf(containerCalls(ch)));
    expect(graphs).toEqual(expect.arrayContaining([...plan.shardJobs, plan.backendJob].map(expectedGraph)));
    expect(graphs).toHaveLength(plan.shardJobs.length + 1);
    for (const ch of first)
      expect(
        containerCalls(ch)
          .filter((c) => c.field === "withExec")
          .at(-1)?.args.expect,
      ).toBe("ANY");
  });

  it("then runs one merge container, exactly as planned, fed by every shard's blob dir", () => {
    const merges = run.filter((ch) => execs(ch).some((a) => a.includes("merge-reports")));
    expect(merges).toHaveLength(1);
    const merge = merges[0];
    expect(graphOf(containerCalls(merge))).toEqual(expectedGraph(plan.mergeJob));
    expect(run.indexOf(merge)).toBe(plan.shardJobs.length + 1);
    const fed = containerCalls(merge).filter(
      (c) => c.field === "withDirectory" && c.args.path === "/src/frontend/.e2e/blobs",
    );
    const shardSteps = fed.map((c) => execs([...(c.args.source as Chain), { field: "id", args: {} }]).at(-1));
    expect(shardSteps).toEqual(plan.shardJobs.map((j) => j.steps[0].argv));
  });

  it("shards with Playwright's --shard and greps @smoke on the matching Playwright image", () => {
    const shards = run
      .slice(0, plan.shardJobs.length + 1)
      .filter((ch) => image(ch) === "mcr.microsoft.com/playwright:v1.65.1-noble");
    expect(
      shards.map((ch) =>
        execs(ch)
          .at(-1)
          ?.find((a) => a.startsWith("--shard")),
      ),
    ).toEqual(["--shard=1/3", "--shard=2/3", "--shard=3/3"]);
    expect(execs(shards[0]).at(-1)).toEqual(expect.arrayContaining(["--grep", "@smoke", "--reporter=blob"]));
  });

  it("posts the (red: no report here) notification with the webhook only as a secret variable, never its plaintext", () => {
    const curl = run.find((ch) => image(ch) === CURL_IMAGE);
    expect(curl).toBeDefined();
    expect(containerCalls(curl!).find((c) => c.field === "withSecretVariable")?.args.name).toBe("WEBHOOK_URL");
    expect(execs(curl!)[0].join(" ")).toContain('"$WEBHOOK_URL"');
    const all = rec.queries.join("\n");
    expect(all).not.toContain("T0KEN");
    expect(all).not.toContain("setSecret");
  });

  it("returns the report with the summary, the status and the promotion record", () => {
    const files = rec.chains.flatMap((ch) => ch.filter((c) => c.field === "withNewFile").map((c) => c.args.path));
    expect(files).toEqual(expect.arrayContaining(["summary.json", "summary.txt", "status", `promotion/${SHA}.json`]));
  });

  it("writes the promotion record to staging over ssh, the key and known_hosts only as mounted secrets", () => {
    const ssh = run.find((ch) => image(ch) === SSH_IMAGE);
    expect(ssh).toBeDefined();
    const calls = containerCalls(ssh!);
    expect(calls.filter((c) => c.field === "withMountedSecret").map((c) => [c.args.path, c.args.mode])).toEqual([
      [RECORD_SSH.key, 0o600],
      [RECORD_SSH.knownHosts, 0o600],
    ]);
    expect(calls.find((c) => c.field === "withNewFile")?.args.path).toBe(RECORD_SSH.record);
    expect(execs(ssh!).at(-1)).toEqual(
      recordWriteArgv(
        { name: "staging", host: "staging.example.com", port: 2222, user: "deploy", basePath: "/srv/app" },
        SHA,
      ),
    );
    const all = rec.queries.join("\n");
    for (const plain of ["PRIVATE-KEY-PLAINTEXT", "KNOWN-HOSTS-PLAINTEXT"]) expect(all).not.toContain(plain);
  });
});
