import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPromotion } from "../../../ci/src/plan/deploy/promotion";
import {
  DEPLOYED,
  e2eArgs,
  execsOf,
  imageOf,
  ranContainers,
  recordCall,
  sshdOn,
  stagingArgs,
  stagingBase,
  startStaging,
  writtenFiles,
  type EngineAnswers,
  type RecordedCall,
} from "../../support/e2eRecording";
import { fail, flaky, pass } from "../../support/pwReport";
import { shape } from "../../support/graph";
import { webhookPostArgv } from "../../../ci/src/plan/webhook";
import { containerCalls, startRecorder, type Chain } from "../../support/recorder";

type Dag = typeof import("@dagger.io/dagger").dag;

const TOKEN = 'https://hooks.example.com/T0KEN "quoted" $HOME and spaces';
const KNOWN = "staging.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKNOWNHOSTSPLAINTEXT";
const PW = "mcr.microsoft.com/playwright:v1.65.1-noble";

/** A real ed25519 private key as a CI secret often holds it: without its trailing newline. */
function keyWithoutNewline(): string {
  const dir = mkdtempSync(join(tmpdir(), "key-"));
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "id"), "-C", "ci"]);
  return readFileSync(join(dir, "id"), "utf8").trimEnd();
}

const frontendBase = (url: string) => [
  `from ${PW}`,
  "cache /root/.npm autoauthor-npm",
  "env NEXT_TELEMETRY_DISABLED=1",
  "env CI=true",
  `env BASE_URL=${url}`,
  `env API_URL=${url}`,
  "workdir /src/frontend",
  "file /src/frontend/package.json",
  "file /src/frontend/package-lock.json",
  "exec npm ci",
  "dir /src/frontend",
];

const shardShape = (url: string, i: number) => [
  ...frontendBase(url),
  "env PIPELINE_RUN_ID=<run>",
  `env PLAYWRIGHT_BLOB_OUTPUT_DIR=.e2e/blob-${i}`,
  `env PLAYWRIGHT_BLOB_OUTPUT_NAME=report-${i}.zip`,
  `exec npx --no-install playwright test --shard=${i}/3 --grep @smoke --reporter=blob --output=.e2e/results-${i} --pass-with-no-tests (expect ANY)`,
];

/** An E2E run on staging, recorded; the engine answers as after a real run whose results.json holds `tests`. */
async function e2eRun(url: string, base: string, key: string, tests: EngineAnswers["tests"]) {
  const sshd = sshdOn();
  return recordCall(
    "endToEnd",
    (dag: Dag) =>
      e2eArgs(dag, url, {
        shards: 3,
        slackWebhook: dag.secret("env://E2E_SLACK"),
        notifySuccess: true,
        ...stagingArgs(dag, base),
      }),
    { tests, answer: sshd.answer },
    { E2E_SLACK: TOKEN, E2E_KEY: key, E2E_KNOWN: KNOWN },
  );
}

/** Queries that hold any of the plaintexts (or a line of one). */
function leaks(queries: string[], plaintexts: string[]): string[] {
  const parts = plaintexts.flatMap((p) => [p, ...p.split("\n")]).filter((p) => p.trim().length >= 8);
  return queries.filter((q) => parts.some((p) => q.includes(p) || q.includes(JSON.stringify(p).slice(1, -1))));
}

/**
 * The Dagger path of `end-to-end`, checked with the real SDK client and no engine against expectations written here
 * (images, commands, order), on answers as after real runs: green with a flaky test, and red.
 */
describe("end-to-end container graph (recorded GraphQL requests)", () => {
  let staging: { url: string; close(): void };
  let key: string;
  let green: RecordedCall;
  let red: RecordedCall;
  let ran: Chain[];

  beforeAll(async () => {
    staging = await startStaging();
    key = keyWithoutNewline();
    const base = stagingBase();
    green = await e2eRun(staging.url, base, key, {
      "home.spec.ts": [pass("home renders @smoke")],
      "books.spec.ts": [flaky("books list @smoke")],
    });
    red = await e2eRun(staging.url, base, key, { "home.spec.ts": [fail("home renders @smoke")] });
    ran = ranContainers(green.rec);
  }, 120_000);
  afterAll(() => staging?.close());

  it("runs both calls to the end", async () => {
    await expect(green.outcome).resolves.toBeDefined();
    await expect(red.outcome).resolves.toBeDefined();
  });

  it("runs three Playwright shards, each built and run exactly so", () => {
    const shards = ran.filter((c) => execsOf(c).some((a) => a.includes("--reporter=blob")));
    expect(shards.map(shape).sort()).toEqual([1, 2, 3].map((i) => shardShape(staging.url, i)).sort());
  });

  it("runs the backend E2E pytest against the API, exactly so", () => {
    const backend = ran.filter((c) => execsOf(c).some((a) => a.includes("pytest")));
    expect(backend).toHaveLength(1);
    const got = shape(backend[0]);
    expect(got[0]).toMatch(/^from ghcr\.io\/astral-sh\/uv:\d+\.\d+\.\d+-python3\.12-[a-z]+-slim$/);
    expect(got.slice(1)).toEqual([
      "cache /root/.cache/uv autoauthor-uv",
      "env UV_PYTHON_DOWNLOADS=never",
      "env UV_LINK_MODE=copy",
      "env CI=true",
      `env API_URL=${staging.url}`,
      "workdir /src/backend",
      "file /src/backend/pyproject.toml",
      "file /src/backend/uv.lock",
      "exec uv sync --frozen",
      "dir /src/backend",
      "env PIPELINE_RUN_ID=<run>",
      "exec uv run --frozen pytest -m e2e --junitxml=e2e-junit.xml -p no:cacheprovider (expect ANY)",
    ]);
  });

  it("merges after every shard ended, fed one blob dir per shard, exactly so", () => {
    const leaves = green.rec.chains.filter((ch) => ch.at(-1)?.field === "exitCode").map(containerCalls);
    const isMerge = (c: Chain) => execsOf(c).some((a) => a.includes("merge-reports"));
    const merge = leaves.find(isMerge)!;
    expect(shape(merge)).toEqual([
      ...frontendBase(staging.url),
      "dir /src/frontend/.e2e/blobs",
      "dir /src/frontend/.e2e/blobs",
      "dir /src/frontend/.e2e/blobs",
      "env PLAYWRIGHT_HTML_OUTPUT_DIR=.e2e/report/html",
      "env PLAYWRIGHT_HTML_OPEN=never",
      "env PLAYWRIGHT_JSON_OUTPUT_FILE=.e2e/report/results.json",
      "env PLAYWRIGHT_JUNIT_OUTPUT_FILE=.e2e/report/junit.xml",
      "exec npx --no-install playwright merge-reports --config . --reporter=html,json,junit .e2e/blobs (expect ANY)",
    ]);
    const shardLeaves = leaves
      .map((c, i) => [c, i] as const)
      .filter(([c]) => execsOf(c).some((a) => a.includes("--reporter=blob")));
    expect(Math.max(...shardLeaves.map(([, i]) => i))).toBeLessThan(leaves.indexOf(merge));
    const fed = merge
      .filter((c) => c.field === "withDirectory" && c.args.path === "/src/frontend/.e2e/blobs")
      .map((c) => execsOf(containerCalls([...(c.args.source as Chain), { field: "id", args: {} }])).at(-1))
      .map((argv) => argv?.find((a) => a.startsWith("--shard=")));
    expect(fed).toEqual(["--shard=1/3", "--shard=2/3", "--shard=3/3"]);
  });

  it("reports a run whose only failure passed on retry as passed, naming the flaky test", () => {
    const files = writtenFiles(green.rec);
    expect(files.get("status")).toBe("passed\n");
    expect(files.get("summary.txt")).toMatch(/^e2e \(smoke\): passed\nplaywright: 1 passed, 0 failed, 1 flaky/);
    expect(files.get("summary.txt")).toContain(
      "FLAKY books.spec.ts › books page › books list @smoke (passed on retry)",
    );
  });

  it("records the passed run for the commit staging runs, in the report and on staging, as deploy-production accepts", () => {
    const files = writtenFiles(green.rec);
    const inReport = JSON.parse(files.get(`promotion/${DEPLOYED}.json`)!);
    const onStaging = JSON.parse(files.get("/tmp/promotion-record.json")!);
    for (const r of [inReport, onStaging]) {
      expect(r).toMatchObject({ commit: DEPLOYED, status: "passed", suite: "smoke", flaky: 1, failed: 0 });
      expect(checkPromotion(r, DEPLOYED)).toEqual({ ok: true });
    }
  });

  it("records a red run as failed, which deploy-production refuses", () => {
    const files = writtenFiles(red.rec);
    expect(files.get("status")).toBe("failed\n");
    expect(files.get("summary.txt")).toContain("FAILED home.spec.ts › home page › home renders @smoke");
    expect(checkPromotion(JSON.parse(files.get("/tmp/promotion-record.json")!), DEPLOYED).ok).toBe(false);
  });

  it("posts to the webhook, its URL only as a secret variable read by the shell", () => {
    const curl = ran.filter((c) => imageOf(c) === "curlimages/curl:8.11.1");
    expect(curl).toHaveLength(1);
    expect(shape(curl[0])).toEqual([
      "from curlimages/curl:8.11.1",
      "new-file /tmp/payload.json",
      "secret-env WEBHOOK_URL",
      "env PIPELINE_RUN_ID=<run>",
      `exec ${webhookPostArgv().join(" ")} (expect ANY)`,
    ]);
  });

  it("reads staging's release and writes the record over ssh with the key normalised into a tmpfs by the same exec", () => {
    const ssh = green.rec.chains
      .filter((ch) => ["stdout", "exitCode"].includes(ch.at(-1)!.field))
      .map(containerCalls)
      .filter((c) => imageOf(c) === "alpine:3.21");
    for (const c of ssh) {
      const got = shape(c);
      expect(got.slice(0, 5)).toEqual([
        "from alpine:3.21",
        "exec apk add --no-cache openssh-client",
        "secret /run/e2e/ssh_key 384",
        "secret /run/e2e/known_hosts 384",
        "tmpfs /run/ssh-key",
      ]);
      const argv = execsOf(c).at(-1)!;
      expect(argv.slice(0, 2)).toEqual(["sh", "-c"]);
      expect(argv[2]).toContain('"$1" > /run/ssh-key/id');
      expect(argv.slice(3, 5)).toEqual(["sh", "/run/e2e/ssh_key"]);
      expect(argv.join(" ")).toMatch(/ssh'? '?-i'? '?\/run\/ssh-key\/id/);
    }
    // Read at the start (the commit to test) and again before the record (the release and artifact digest it names).
    expect(ssh.map((c) => execsOf(c).at(-1)!.at(-1))).toEqual([
      expect.stringContaining("readlink current"),
      expect.stringContaining("readlink current"),
      expect.stringContaining(".dep/e2e/"),
    ]);
  });

  it("never puts a secret's plaintext in a query, though the recorder resolves them as the engine does", () => {
    for (const r of [green, red]) expect(leaks(r.rec.queries, [TOKEN, key, KNOWN])).toEqual([]);
  });

  it("(the leak check) catches a runner that reads a secret and puts it into an exec", async () => {
    const rec = await startRecorder();
    const saved = { ...process.env };
    Object.assign(process.env, rec.env, { E2E_KEY: key });
    try {
      const { connection, dag } = await import("@dagger.io/dagger");
      await connection(async () => {
        const plain = await dag.secret("env://E2E_KEY").plaintext();
        await dag.container().from("alpine:3.21").withNewFile("/k", plain).sync();
      });
    } finally {
      process.env = saved;
      await rec.close();
    }
    expect(leaks(rec.queries, [key])).toHaveLength(1);
  }, 30_000);
});
