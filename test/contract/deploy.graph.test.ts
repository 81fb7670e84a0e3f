import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  alertPath,
  appSecretPath,
  buildArgv,
  DEPLOY_IMAGE,
  keyPath,
  knownHostsPath,
  recordReadArgv,
  requestArgv,
} from "../../ci/src/plan/deploy/call";
import { DEPLOY_REQUEST_PATH, parseDeployRequestJson, type DeployRequest } from "../../ci/src/plan/deploy/request";
import { DeployInputError } from "../../ci/src/plan/deploy/stage";
import { promotionRecordScript } from "../../ci/src/plan/deploy/promotion";
import {
  artifactFetchArgv,
  ArtifactMismatchError,
  FETCHED_RELEASE,
  UPLOAD_EXCLUDES,
} from "../../ci/src/plan/deploy/artifact";
import { callCi } from "../support/ciCall";
import { containerCalls, startRecorder, type Call, type Chain, type Recording } from "../support/recorder";

const ROOT = resolve(import.meta.dirname, "../..");
const EXAMPLE = resolve(ROOT, "examples/app");
const SHA = "0123456789abcdef0123456789abcdef01234567";
const STAGING = { host: "staging.example.com", user: "deploy", port: 2222, basePath: "/srv/staging", name: "staging" };

/** Secret values made to break naive quoting; each carries a marker that must never reach a non-setSecret query. */
const SECRETS = {
  key: '-----BEGIN OPENSSH PRIVATE KEY-----\nMRK1KEY b3BlbnNzaC1rZXktdjEAAAAA "q" $HOME \\x\n-----END OPENSSH PRIVATE KEY-----\n',
  knownHosts: '[staging.example.com]:2222 ssh-ed25519 MRK2KH AAAAC3Nz "x" $y \\z',
  db: "mongodb://app:p\"w $HOME \\ 'q'@db:27017/app?tls=true\nMRK3DB second line",
  apiKey: "MRK4API 'single' \"double\" $(rm -rf /) `tick` \\n trailing ",
  alert: 'https://hooks.example.com/services/MRK5ALERT?t="a b"&x=$HOME\nhttps://chat.example.com/MRK5second',
};

type Run = { rec: Recording; error?: unknown; execs: Chain[] };

/** Run one Ci function through the real SDK client against the recorder; secrets handed in via dag.setSecret. */
async function record(
  call: (
    s: Record<keyof typeof SECRETS, import("@dagger.io/dagger").Secret>,
    dirs: { app: import("@dagger.io/dagger").Directory; repo: import("@dagger.io/dagger").Directory },
  ) => Promise<string>,
  stagingRecord?: string,
  app = EXAMPLE,
): Promise<Run> {
  const rec = await startRecorder({
    answer: (field, chain) =>
      field === "stdout" && lastExec(chain)?.includes("ssh")
        ? (stagingRecord ?? "")
        : field === "plaintext"
          ? revealed(chain)
          : undefined,
  });
  const saved = { ...process.env };
  Object.assign(process.env, rec.env);
  let error: unknown;
  try {
    const { connection, dag } = await import("@dagger.io/dagger");
    await connection(async () => {
      const s = Object.fromEntries(Object.entries(SECRETS).map(([k, v]) => [k, dag.setSecret(k, v)])) as Record<
        keyof typeof SECRETS,
        import("@dagger.io/dagger").Secret
      >;
      await call(s, { app: dag.host().directory(app), repo: dag.host().directory(ROOT) }).catch((e) => (error = e));
    });
  } finally {
    process.env = saved;
  }
  const execs = rec.chains.filter((ch) => ch.at(-1)?.field === "stdout" && ch.some((c) => c.field === "container"));
  return { rec, error, execs };
}

/**
 * As the engine would: a secret's plaintext, so a function that reads one and passes it on would show in the recording.
 */
function revealed(chain: Chain): unknown {
  return chain.find((c) => c.field === "setSecret")?.args.plaintext;
}

function lastExec(chain: Chain): string[] | undefined {
  return chain.filter((c) => c.field === "withExec").at(-1)?.args.args as string[] | undefined;
}
const calls = (ch: Chain, field: string): Call[] => containerCalls(ch).filter((c) => c.field === field);
const setSecretName = (ch: unknown): unknown => (ch as Chain).find((c) => c.field === "setSecret")?.args.name;
const runOf = (r: Run, argv: string[]) => r.execs.filter((ch) => JSON.stringify(lastExec(ch)) === JSON.stringify(argv));
/** The request an exec's container holds, read back with the validator the host runner uses. */
function requestOf(ch: Chain): DeployRequest {
  const files = calls(ch, "withNewFile").filter((c) => c.args.path === DEPLOY_REQUEST_PATH);
  expect(files).toHaveLength(1);
  return parseDeployRequestJson(files[0].args.contents as string);
}
const mountsOf = (ch: Chain) =>
  calls(ch, "withMountedSecret").map((c) => ({
    path: c.args.path,
    secret: setSecretName(c.args.source),
    mode: c.args.mode,
    owner: c.args.owner,
  }));

/**
 * No query but the setSecret ones holds a secret: not raw, not GraphQL/JSON-escaped, not any line of it, not its
 * marker.
 */
function expectNoPlaintext(rec: Recording): void {
  const others = rec.queries.filter((q) => !/^\s*\{\s*setSecret\s*\(/.test(q));
  expect(others.length).toBeGreaterThan(0);
  for (const [name, v] of Object.entries(SECRETS)) {
    const forms = [
      v,
      JSON.stringify(v).slice(1, -1),
      ...v.split("\n").filter((l) => l.length >= 8),
      v.match(/MRK\d\w+/)![0],
    ];
    for (const q of others)
      for (const f of forms)
        expect(q.includes(f), `${name} (${JSON.stringify(f)}) leaked into: ${q.slice(0, 300)}`).toBe(false);
  }
}

const stagingArgs = (
  s: Record<keyof typeof SECRETS, import("@dagger.io/dagger").Secret>,
  d: { app: import("@dagger.io/dagger").Directory; repo: import("@dagger.io/dagger").Directory },
  port = 2222,
) =>
  callCi<string>("deployStaging", {
    host: STAGING.host,
    user: STAGING.user,
    basePath: STAGING.basePath,
    sshKey: s.key,
    knownHosts: s.knownHosts,
    databaseUri: s.db,
    commit: SHA,
    source: d.app,
    repo: d.repo,
    port,
    keep: 3,
    apiKey: s.apiKey,
    publicUrl: "https://api.staging.example.com",
    alertCritical: s.alert,
    alertWarning: s.alert,
  });

/**
 * The Dagger path of the deploy functions, recorded through the real SDK client (no engine):
 * build once, then the host runner's own deploy command in a container holding the SSH files
 * as 0600 secret mounts and the app secrets as secret variables.
 */
describe("deployStaging container graph (recorded GraphQL requests)", () => {
  let r: Run;
  let deploy: Chain;
  beforeAll(async () => {
    r = await record((s, d) => stagingArgs(s, d));
    deploy = runOf(r, requestArgv())[0];
  }, 60_000);
  afterAll(() => r?.rec.close());

  it("runs the host runner's request entry point on the release built once, and nothing else on the server", () => {
    expect(r.error).toBeUndefined();
    expect(deploy, `no deploy exec among ${JSON.stringify(r.execs.map(lastExec))}`).toBeDefined();
    expect(r.execs).toHaveLength(1);
    const artifact = calls(deploy, "withDirectory").find((c) => c.args.path === "/artifact");
    const built = (artifact!.args.source as Chain).filter((c) => c.field === "withExec").map((c) => c.args.args);
    expect(built).toContainEqual(buildArgv("https://api.staging.example.com", SHA));
    expect(built).toContainEqual(["npm", "ci", "--no-audit", "--no-fund"]);
  });

  it("installs ssh and rsync in a node image and mounts this repository's scripts/ and ci/src for the host runner", () => {
    expect(calls(deploy, "from")[0].args.address).toMatch(/^node:/);
    expect(JSON.stringify(calls(deploy, "withExec")[0].args.args)).toMatch(/apt-get install .*openssh-client rsync/);
    const dirs = calls(deploy, "withDirectory").map((c) => c.args.path);
    expect(dirs).toEqual(expect.arrayContaining(["/repo/scripts", "/repo/ci/src", "/app", "/artifact"]));
  });

  it("mounts every secret as a 0600 file: SSH key, pinned known_hosts, app secrets, alert webhooks", () => {
    const m = (path: string, secret: string) => ({ path, secret, mode: 0o600, owner: "root" });
    expect(mountsOf(deploy)).toEqual([
      m(keyPath("staging"), "key"),
      m(knownHostsPath("staging"), "knownHosts"),
      m(appSecretPath("staging", "databaseUri"), "db"),
      m(appSecretPath("staging", "apiKey"), "apiKey"),
      m(alertPath("critical"), "alert"),
      m(alertPath("warning"), "alert"),
    ]);
  });

  it("hands the host runner one typed request that the host's own validator accepts, naming each mounted file", () => {
    const req = requestOf(deploy);
    expect(req).toMatchObject({
      action: "deploy",
      target: { name: "staging", host: STAGING.host, port: 2222, user: "deploy", basePath: STAGING.basePath },
      publicUrl: "https://api.staging.example.com",
      source: "/app",
      artifact: "/artifact",
      commit: SHA,
      keep: 3,
      files: {
        sshKey: keyPath("staging"),
        knownHosts: knownHostsPath("staging"),
        secrets: { DATABASE_URI: appSecretPath("staging", "databaseUri"), API_KEY: appSecretPath("staging", "apiKey") },
        alerts: { critical: alertPath("critical"), warning: alertPath("warning") },
      },
    });
    const mounted = new Set(mountsOf(deploy).map((x) => x.path));
    const named = [
      req.files.sshKey,
      req.files.knownHosts,
      ...Object.values(req.files.secrets),
      ...Object.values(req.files.alerts),
    ];
    for (const path of named) expect(mounted.has(path), path).toBe(true);
    expect(req.requestedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("passes no setting or secret through environment variables", () => {
    expect(calls(deploy, "withSecretVariable")).toEqual([]);
    const env = calls(deploy, "withEnvVariable").map((c) => c.args.name);
    expect(env.filter((n) => n !== "USER" && n !== "DEPLOY_REQUESTED_AT")).toEqual([]);
  });

  it("puts no secret's plaintext in any query but the test's own setSecret calls", () => {
    expectNoPlaintext(r.rec);
  });
});

describe("deployStaging bad input", () => {
  it("rejects a bad port before any container runs", async () => {
    const r = await record((s, d) => stagingArgs(s, d, 70000));
    await r.rec.close();
    expect(r.error).toBeInstanceOf(DeployInputError);
    expect(String(r.error)).toMatch(/port 70000 is not a TCP port/);
    expect(r.execs).toHaveLength(0);
  }, 60_000);
});

/** `deployProduction` on prod.example.com, promoting staging's release or forced, with or without an alert webhook. */
const promote =
  (forceReason?: string, stagingHost: string | undefined = STAGING.host, withAlert = false) =>
  (
    s: Record<keyof typeof SECRETS, import("@dagger.io/dagger").Secret>,
    d: { app: import("@dagger.io/dagger").Directory; repo: import("@dagger.io/dagger").Directory },
  ) =>
    callCi<string>("deployProduction", {
      host: "prod.example.com",
      user: "deploy",
      basePath: "/srv/autoauthor",
      sshKey: s.key,
      knownHosts: s.knownHosts,
      databaseUri: s.db,
      commit: SHA,
      source: d.app,
      repo: d.repo,
      stagingHost,
      stagingBasePath: STAGING.basePath,
      stagingPort: 2222,
      forceReason,
      ...(withAlert ? { alertCritical: s.alert } : {}),
    });

describe("deployProduction E2E gate (recorded GraphQL requests)", () => {
  const TESTED = { release: "20261126T231501Z-0123456", artifact: `sha256:${"c".repeat(64)}` };
  const UNNAMED = JSON.stringify({
    commit: SHA,
    status: "passed",
    suite: "full",
    passed: 12,
    failed: 0,
    flaky: 0,
    finishedAt: "2026-11-26T23:15:01Z",
    report: "html/index.html",
  });
  const PASSED = JSON.stringify({ ...JSON.parse(UNNAMED), ...TESTED });
  const FAILED = JSON.stringify({
    commit: SHA,
    status: "failed",
    suite: "full",
    passed: 10,
    failed: 2,
    flaky: 0,
    finishedAt: "2026-11-26T23:15:01Z",
    report: "html/index.html",
  });
  const prodDeploys = (r: Run) =>
    r.execs.filter(
      (ch) => lastExec(ch)?.includes("scripts/deployRequest.ts") && requestOf(ch).target.name === "production",
    );
  const builds = (r: Run) =>
    r.rec.chains.filter((ch) =>
      ch.some((c) => c.field === "withExec" && (c.args.args as string[]).includes("scripts/buildArtifact.ts")),
    );
  const fetches = (r: Run) =>
    r.rec.chains.filter((ch) => ch.some((c) => c.field === "withExec" && (c.args.args as string[]).includes("rsync")));

  it.each([
    ["no record", ""],
    ["a failed record", FAILED],
    ["a record of another commit", PASSED.replace(SHA, "f".repeat(40))],
  ])(
    "refuses with %s on staging, before any build or deploy exec",
    async (_, text) => {
      const r = await record(promote(), text);
      await r.rec.close();
      expect(r.error).toBeInstanceOf(DeployInputError);
      expect(String(r.error)).toMatch(/deploy-production refused.*--force-reason/s);
      expect(r.execs.map(lastExec)).toEqual([
        [
          "sh",
          "-c",
          `umask 077 && awk '{ sub(/[ \\t\\r]+$/, ""); print }' "$1" > /run/ssh-key/id && shift && exec "$@"`,
          "sh",
          keyPath("staging"),
          ...recordReadArgv({ ...STAGING, user: "deploy" }, SHA).map((a) =>
            a === keyPath("staging") ? "/run/ssh-key/id" : a,
          ),
        ],
      ]);
      expect(prodDeploys(r)).toHaveLength(0);
      expect(builds(r)).toHaveLength(0);
    },
    60_000,
  );

  it("reads the record over ssh pinned to the mounted known_hosts (StrictHostKeyChecking=yes), with the key mounted 0600", async () => {
    const r = await record(promote(), "");
    await r.rec.close();
    const read = r.execs[0];
    expect(lastExec(read)).toEqual(
      expect.arrayContaining([
        "StrictHostKeyChecking=yes",
        `UserKnownHostsFile=${knownHostsPath("staging")}`,
        promotionRecordScript(STAGING.basePath, SHA),
      ]),
    );
    expect(calls(read, "withMountedSecret").map((c) => [c.args.path, c.args.mode])).toEqual([
      [keyPath("staging"), 0o600],
      [knownHostsPath("staging"), 0o600],
    ]);
    expectNoPlaintext(r.rec);
  }, 60_000);

  it("normalises the mounted key (a CI secret may lack its trailing newline) into a tmpfs, in the exec that runs ssh", async () => {
    const r = await record(promote(), "");
    await r.rec.close();
    const read = r.execs[0];
    expect(calls(read, "withMountedTemp").map((c) => c.args.path)).toEqual(["/run/ssh-key"]);
    const argv = lastExec(read)!;
    expect(argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(argv[2]).toContain('awk \'{ sub(/[ \\t\\r]+$/, ""); print }\' "$1" > /run/ssh-key/id');
    expect(argv[4]).toBe(keyPath("staging"));
    expect(argv[argv.indexOf("-i") + 1]).toBe("/run/ssh-key/id");
    expectNoPlaintext(r.rec);
  }, 60_000);

  it("refuses a passed record that names no tested artifact, before any fetch, build or deploy", async () => {
    const r = await record(promote(), UNNAMED);
    await r.rec.close();
    expect(r.error).toBeInstanceOf(ArtifactMismatchError);
    expect(String(r.error)).toMatch(/names no staging release and artifact digest.*Fix: deploy-staging --commit/);
    expect(fetches(r)).toHaveLength(0);
    expect(builds(r)).toHaveLength(0);
    expect(prodDeploys(r)).toHaveLength(0);
  }, 60_000);

  it("promotes staging's tested release, fetched over the pinned ssh, never a rebuild", async () => {
    const r = await record(promote(), PASSED);
    await r.rec.close();
    expect(r.error).toBeUndefined();
    expect(builds(r)).toHaveLength(0);
    const [fetch] = fetches(r);
    const argv = (calls(fetch, "withExec").at(-1)!.args.args as string[]).slice(5);
    const ssh = { keyFile: "/run/ssh-key/id", knownHostsFile: knownHostsPath("staging") };
    expect(argv).toEqual(
      artifactFetchArgv({ ...STAGING, user: "deploy" } as never, TESTED.release, ssh, FETCHED_RELEASE, UPLOAD_EXCLUDES),
    );
    expect(calls(fetch, "withMountedSecret").map((c) => [c.args.path, c.args.mode])).toEqual([
      [keyPath("staging"), 0o600],
      [knownHostsPath("staging"), 0o600],
    ]);
    expect(calls(fetch, "directory").map((c) => c.args.path)).toContain(FETCHED_RELEASE);
    expectNoPlaintext(r.rec);
  }, 60_000);

  it("deploys a commit whose record passed, handing the host runner's gate the same record", async () => {
    const r = await record(promote(), PASSED);
    await r.rec.close();
    expect(r.error).toBeUndefined();
    const [deploy] = prodDeploys(r);
    expect(lastExec(deploy)).toEqual(requestArgv());
    expect(requestOf(deploy)).toMatchObject({ action: "deploy", commit: SHA, promotionRecord: PASSED });
    expect(requestOf(deploy).forceReason).toBeUndefined();
    expect(mountsOf(deploy).map((m) => m.path)).toEqual([
      keyPath("production"),
      knownHostsPath("production"),
      appSecretPath("production", "databaseUri"),
    ]);
    expectNoPlaintext(r.rec);
  }, 60_000);

  it("skips the gate with --force-reason, passing the reason on to be logged in releases.jsonl", async () => {
    const r = await record(promote("hotfix INC-42", ""));
    await r.rec.close();
    expect(r.error).toBeUndefined();
    expect(r.execs.some((ch) => lastExec(ch)?.[0] === "ssh")).toBe(false);
    expect(requestOf(prodDeploys(r)[0])).toMatchObject({ commit: SHA, forceReason: "hotfix INC-42" });
    expect(requestOf(prodDeploys(r)[0]).promotionRecord).toBeUndefined();
  }, 60_000);

  it("refuses without a staging host or a force reason, naming both options", async () => {
    const r = await record(promote(undefined, ""));
    await r.rec.close();
    expect(r.error).toBeInstanceOf(DeployInputError);
    expect(String(r.error)).toMatch(/--staging-host.*--force-reason/);
    expect(r.execs).toHaveLength(0);
  }, 60_000);
});

/**
 * The containers that hold the runner's secrets (the SSH keys, known_hosts, app secrets, alert webhooks) run on the
 * pipeline's own image. Before, they ran on `frontend.image` from the repository's pipeline.yaml, which a change to
 * the repository could point at any image: its apt-get, npm and node would then run with the production key mounted.
 * The build, which holds no secret, still runs on the app's image.
 */
describe("the image of every container holding a secret", () => {
  const EVIL = "ghcr.io/attacker/node:20-bookworm-slim";
  const PASSED = JSON.stringify({
    commit: SHA,
    status: "passed",
    suite: "full",
    passed: 1,
    failed: 0,
    flaky: 0,
    finishedAt: "2026-11-26T23:15:01Z",
    report: "html/index.html",
    release: "20261126T231501Z-0123456",
    artifact: `sha256:${"c".repeat(64)}`,
  });
  let app: string;
  beforeAll(() => {
    app = mkdtempSync(join(tmpdir(), "evil-image-"));
    cpSync(EXAMPLE, app, { recursive: true, filter: (p) => !/\/(node_modules|\.next|\.venv)$/.test(p) });
    writeFileSync(join(app, "pipeline.yaml"), `frontend:\n  image: "${EVIL}"\n`);
  });
  afterAll(() => rmSync(app, { recursive: true, force: true }));

  const production = (forceReason?: string) => promote(forceReason, forceReason ? "" : STAGING.host, true);
  it.each([
    ["deployStaging", (s: never, d: never) => stagingArgs(s, d), undefined],
    ["deployProduction promoting staging's release", production(), PASSED],
    ["deployProduction --force-reason", production("hotfix INC-42"), undefined],
    ["rollback", (s: never, d: never) => rollback(s, d, "production"), undefined],
  ] as const)(
    "%s: the pipeline's own node image, not the repository's frontend.image",
    async (_, call, stagingRecord) => {
      const r = await record(call as never, stagingRecord, app);
      await r.rec.close();
      expect(r.error).toBeUndefined();
      const holding = r.rec.chains.filter((ch) => calls(ch, "withMountedSecret").length > 0);
      expect(holding.length).toBeGreaterThan(0);
      for (const ch of holding) expect(calls(ch, "from").map((c) => c.args.address)).toEqual([DEPLOY_IMAGE]);
      const built = r.rec.chains.filter((ch) =>
        ch.some((c) => c.field === "withExec" && (c.args.args as string[]).includes("scripts/buildArtifact.ts")),
      );
      for (const ch of built) expect(calls(ch, "from")[0].args.address).toBe(EVIL);
    },
    60_000,
  );
});

const rollback = (
  s: Record<keyof typeof SECRETS, import("@dagger.io/dagger").Secret>,
  d: { app: import("@dagger.io/dagger").Directory; repo: import("@dagger.io/dagger").Directory },
  target: string,
  to?: string,
) =>
  callCi<string>("rollback", {
    host: "prod.example.com",
    user: "deploy",
    basePath: "/srv/autoauthor",
    sshKey: s.key,
    knownHosts: s.knownHosts,
    source: d.app,
    repo: d.repo,
    target,
    to,
  });

describe("rollback container graph (recorded GraphQL requests)", () => {
  it("hands the host runner a rollback request for the target, with only the SSH files mounted 0600: no database URI, no build", async () => {
    const r = await record((s, d) => rollback(s, d, "production", "20261126T231501Z-3520442"));
    await r.rec.close();
    expect(r.error).toBeUndefined();
    expect(r.execs.map(lastExec)).toEqual([requestArgv()]);
    expect(requestOf(r.execs[0])).toMatchObject({
      action: "rollback",
      to: "20261126T231501Z-3520442",
      target: { name: "production", host: "prod.example.com" },
      files: { secrets: {}, alerts: {} },
    });
    expect(calls(r.execs[0], "withMountedSecret").map((c) => [c.args.path, c.args.mode])).toEqual([
      [keyPath("production"), 0o600],
      [knownHostsPath("production"), 0o600],
    ]);
    expect(
      r.rec.chains.some((ch) =>
        ch.some((c) => c.field === "withExec" && (c.args.args as string[]).includes("scripts/buildArtifact.ts")),
      ),
    ).toBe(false);
    expectNoPlaintext(r.rec);
  }, 60_000);

  it("rejects an unknown target before any container runs", async () => {
    const r = await record((s, d) => rollback(s, d, "prod"));
    await r.rec.close();
    expect(r.error).toBeInstanceOf(DeployInputError);
    expect(r.execs).toHaveLength(0);
  }, 60_000);
});
