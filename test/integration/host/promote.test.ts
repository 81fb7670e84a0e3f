import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "dotenv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactFetchArgv, MANIFEST_FILE, parseManifest, UPLOAD_EXCLUDES } from "../../../ci/src/plan/deploy/artifact";
import { parsePromotionRecord, promotionRecordPath } from "../../../ci/src/plan/deploy/promotion";
import { formatLogEntry, parseReleaseLog } from "../../../ci/src/plan/deploy/releaseLog";
import { summarizeE2e } from "../../../ci/src/plan/e2e/summary";
import { treeManifest } from "../../../scripts/host/artifact";
import { writeRecord } from "../../../scripts/host/e2e/record";
import { startStagingServer, stopStagingServer, type StagingServer } from "../../../scripts/host/staging/server";
import { runDeployRequest, runPipeline } from "../../support/cli";
import { pass, reportOf } from "../../support/pwReport";
import { tinyRepo, type TinyRepo } from "../../support/tinyRelease";

const SHA = "3520442e4dc3c5bc938a31806b1e6a4d20cd12bc";
const USER = process.env.USER || "root";

/**
 * Promotion by artifact, on two real loopback servers (sshd, nginx, PM2): staging deploys a built release, E2E's
 * record names that release and its manifest digest, and deploy-production ships staging's bytes, not a rebuild;
 * a digest or a file that differs from the record is refused with exit 2 and production is left as it was.
 */
describe("deploy-production promotes staging's artifact", () => {
  let root: string;
  let staging: StagingServer;
  let production: StagingServer;
  let tiny: TinyRepo;

  const stagingEnv = () => ({ ...process.env, STAGING_SERVER_DIR: staging.dir, TMPDIR: join(root, "tmp") });
  /** Production's settings are the second server's deploy.env, renamed STAGING_* → PRODUCTION_*. */
  const productionEnv = () => {
    const p = parse(readFileSync(join(production.dir, "deploy.env")));
    const renamed = Object.entries(p).map(([k, v]) => [k.replace(/^STAGING_/, "PRODUCTION_"), v]);
    return { ...stagingEnv(), ...Object.fromEntries(renamed) };
  };
  const current = (s: StagingServer) => readlinkSync(join(s.base, "current")).split("/").pop()!;
  const recordFile = () => join(staging.base, promotionRecordPath(SHA));
  const promote = () => runPipeline(["deploy-production", "--source", tiny.source, "--commit", SHA], productionEnv());
  /** Files of two release dirs that differ, server installs (.venv, caches, the env link) left out. */
  const treeDiff = (a: string, b: string) => {
    const ex = ["--exclude=.venv", "--exclude=__pycache__", "--exclude=env", "--exclude=*.egg-info"];
    try {
      execFileSync("diff", ["-r", "--no-dereference", ...ex, a, b], { encoding: "utf8" });
      return "";
    } catch (e) {
      return String((e as { stdout?: string }).stdout);
    }
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "promote-"));
    execFileSync("mkdir", ["-p", join(root, "tmp")]);
    staging = await startStagingServer(join(root, "staging"));
    production = await startStagingServer(join(root, "production"));
    tiny = tinyRepo(root);
    symlinkSync("server.js", join(tiny.artifact, "frontend/index.js"));
    writeFileSync(join(tiny.artifact, "REVISION"), `${SHA}\n`);
    writeFileSync(join(tiny.artifact, MANIFEST_FILE), treeManifest(tiny.artifact));
    const d = await runPipeline(
      ["deploy-staging", "--source", tiny.source, "--artifact", tiny.artifact, "--commit", SHA],
      stagingEnv(),
    );
    expect(d.exitCode, d.output).toBe(0);
    const summary = summarizeE2e({
      suite: "smoke",
      mode: "playwright",
      modeReason: "",
      shards: [{ index: 1, files: [], exitCode: 0, seconds: 1 }],
      report: reportOf({ "a.spec.ts": [pass("x")] }),
    });
    await writeRecord(summary, SHA, "/r/index.html", {
      stateDir: join(root, "state"),
      mode: "staging",
      env: stagingEnv(),
    });
  }, 300_000);

  afterAll(async () => {
    await stopStagingServer(staging?.dir);
    await stopStagingServer(production?.dir);
    rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it("E2E's record names the release staging runs and its artifact digest, also in the release log", () => {
    const record = parsePromotionRecord(readFileSync(recordFile(), "utf8"))!;
    const digest = execFileSync("sha256sum", [join(staging.base, "current", MANIFEST_FILE)], { encoding: "utf8" });
    expect(record).toMatchObject({
      status: "passed",
      release: current(staging),
      artifact: `sha256:${digest.slice(0, 64)}`,
    });
    const log = parseReleaseLog(readFileSync(join(staging.base, ".dep/releases.jsonl"), "utf8"));
    expect(log.filter((e) => e.id === current(staging)).map((e) => e.artifact)).toEqual(
      log.filter((e) => e.id === current(staging)).map(() => record.artifact),
    );
  });

  it("refuses a record whose digest is not staging's artifact (exit 2, the fix), production untouched", async () => {
    const good = readFileSync(recordFile(), "utf8");
    try {
      const other = `sha256:${"0".repeat(64)}`;
      writeFileSync(recordFile(), good.replace(/"artifact": "sha256:[0-9a-f]+"/, `"artifact": "${other}"`));
      const r = await promote();
      expect(r.exitCode, r.output).toBe(2);
      expect(r.stderr).toMatch(/input error: deploy-production refused: staging's release \S+ has artifact sha256:/);
      expect(r.stderr).toContain(`but E2E recorded ${other}`);
      expect(r.stderr).toMatch(/Fix: deploy-staging --commit 3520442\w+ and re-run E2E/);
      expect(readdirSync(join(production.base, "releases"))).toEqual([]);
    } finally {
      writeFileSync(recordFile(), good);
    }
  }, 120_000);

  it("refuses a staging release whose files changed after E2E (exit 2), production untouched", async () => {
    const file = join(staging.base, "releases", current(staging), "backend/pyproject.toml");
    const was = readFileSync(file);
    try {
      appendFileSync(file, "# changed on the server after E2E\n");
      const r = await promote();
      expect(r.exitCode, r.output).toBe(2);
      expect(r.stderr).toMatch(/no longer holds the bytes its MANIFEST lists \(backend\/pyproject\.toml\)/);
      expect(readdirSync(join(production.base, "releases"))).toEqual([]);
    } finally {
      writeFileSync(file, was);
    }
  }, 120_000);

  it("refuses a record of another commit naming this release, digest and all (exit 2), production untouched", async () => {
    const other = "c".repeat(40);
    const forged = join(staging.base, promotionRecordPath(other));
    const good = readFileSync(recordFile(), "utf8");
    try {
      writeFileSync(forged, good.replace(`"commit": "${SHA}"`, `"commit": "${other}"`));
      const r = await runPipeline(["deploy-production", "--source", tiny.source, "--commit", other], productionEnv());
      expect(r.exitCode, r.output).toBe(2);
      expect(r.stderr).toContain(
        `input error: deploy-production refused: the E2E record for ${other} names staging's release ${current(staging)}, which is not a release of that commit`,
      );
      expect(readdirSync(join(production.base, "releases"))).toEqual([]);
    } finally {
      rmSync(forged, { force: true });
    }
  }, 120_000);

  /**
   * The fourteenth hostile run: a green record, then a rollback on staging marks the release E2E tested BAD; Deploy
   * Production dispatched with that sha still promoted it, as the gate read the record alone. It reads staging's BAD
   * marks in the same ssh read now (a line as a rollback writes it is appended here).
   */
  it("refuses a release staging marked BAD after E2E (exit 2), production untouched", async () => {
    const log = join(staging.base, ".dep/releases.jsonl");
    const was = readFileSync(log);
    try {
      const bad = { id: current(staging), commit: SHA, time: new Date().toISOString(), status: "bad" as const };
      appendFileSync(log, formatLogEntry({ ...bad, reason: "abandoned by rollback" }));
      const r = await promote();
      expect(r.exitCode, r.output).toBe(2);
      expect(r.stderr).toContain(
        `input error: deploy-production refused. Fix: staging's release ${current(staging)}, which E2E tested for 3520442, has since been marked BAD on staging`,
      );
      expect(readdirSync(join(production.base, "releases"))).toEqual([]);
    } finally {
      writeFileSync(log, was);
    }
  }, 120_000);

  it("on the Dagger path, checks the tree the module fetched: a changed byte is refused, staging's bytes deploy", async () => {
    const fetched = join(root, "fetched");
    const stagingHosts = join(root, "staging_known_hosts");
    writeFileSync(stagingHosts, `${staging.knownHosts}\n`);
    const t = {
      name: "staging" as const,
      host: "127.0.0.1",
      port: staging.sshPort,
      user: USER,
      basePath: staging.base,
    };
    const ssh = { keyFile: staging.keyFile, knownHostsFile: stagingHosts };
    const [rsync, ...args] = artifactFetchArgv(t, current(staging), ssh, fetched, UPLOAD_EXCLUDES);
    execFileSync(rsync, args);
    const request = (file: string) => {
      writeFileSync(join(root, "db_uri"), `mongodb://127.0.0.1:${production.mongoPort}/autoauthor_production`);
      writeFileSync(join(root, "prod_known_hosts"), `${production.knownHosts}\n`);
      const files = {
        sshKey: production.keyFile,
        knownHosts: join(root, "prod_known_hosts"),
        secrets: { DATABASE_URI: join(root, "db_uri") },
        alerts: {},
      };
      const target = {
        name: "production",
        host: "127.0.0.1",
        port: production.sshPort,
        user: USER,
        basePath: production.base,
      };
      const req = { version: 1, action: "deploy", target, files, source: tiny.source, config: "pipeline.yaml" };
      const extra = { artifact: fetched, commit: SHA, promotionRecord: readFileSync(recordFile(), "utf8") };
      writeFileSync(file, JSON.stringify({ ...req, ...extra, requestedAt: new Date().toISOString() }));
      return file;
    };
    const before = readdirSync(join(production.base, "releases"));
    const server = join(fetched, "frontend/server.js");
    const was = readFileSync(server);
    writeFileSync(server, Buffer.concat([was, Buffer.from("\n")]));
    const bad = await runDeployRequest(request(join(root, "bad.json")), stagingEnv());
    expect(bad.exitCode, bad.output).toBe(2);
    expect(bad.stderr).toMatch(/no longer holds the bytes its MANIFEST lists \(frontend\/server\.js\)/);
    expect(readdirSync(join(production.base, "releases"))).toEqual(before);
    writeFileSync(server, was);
    const good = await runDeployRequest(request(join(root, "good.json")), stagingEnv());
    expect(good.exitCode, good.output).toBe(0);
    const p = join(production.base, "releases", current(production));
    expect(treeDiff(join(staging.base, "releases", current(staging)), p)).toBe("");
  }, 180_000);

  it("ships staging's tested bytes to production: the two release trees are identical", async () => {
    const r = await promote();
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toMatch(
      /artifact: promoting staging's release \S+ \(sha256:[0-9a-f]{64}, \d+ files\), not a rebuild/,
    );
    const [s, p] = [
      join(staging.base, "releases", current(staging)),
      join(production.base, "releases", current(production)),
    ];
    expect(treeDiff(s, p)).toBe("");
    const manifest = readFileSync(join(s, MANIFEST_FILE), "utf8");
    expect(treeManifest(p, new Set(parseManifest(manifest).map((e) => e.path)))).toBe(manifest);
    expect(readFileSync(join(p, MANIFEST_FILE), "utf8")).toBe(manifest);
    expect(readlinkSync(join(p, "frontend/index.js"))).toBe("server.js");
    const record = parsePromotionRecord(readFileSync(recordFile(), "utf8"))!;
    const log = parseReleaseLog(readFileSync(join(production.base, ".dep/releases.jsonl"), "utf8"));
    expect(log.find((e) => e.id === current(production) && e.status === "deployed")?.artifact).toBe(record.artifact);
  }, 180_000);
});
