import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReleaseLog } from "../../../ci/src/plan/deploy/releaseLog";
import { startStagingServer, stopStagingServer, type StagingServer } from "../../../scripts/host/staging/server";
import { runPipeline, startPipeline } from "../../support/cli";
import { tinyRepo, type TinyRepo } from "../../support/tinyRelease";

/**
 * SIGTERM (a cancelled CI job) sent for real to a real deploy while its health check waits on a hung app: the tiny
 * repository's release answers nginx's route check, then holds every health request through nginx for 10 s and answers
 * 503. No shim: the probe is the deploy's own curl through the real nginx to the real app.
 */
describe("SIGTERM while the health check waits on a hung app", () => {
  let root: string;
  let s: StagingServer;
  let repo: TinyRepo;
  let env: NodeJS.ProcessEnv;

  const currentId = () => readlinkSync(join(s.base, "current")).split("/").pop() ?? "";
  const deployArgs = (artifact: string, commit: string) => [
    "deploy-staging",
    ...["--artifact", artifact, "--commit", commit, "--source", repo.source],
  ];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "sig-health-"));
    s = await startStagingServer(join(root, "staging"));
    repo = tinyRepo(root);
    env = {
      ...process.env,
      STAGING_SERVER_DIR: s.dir,
      STAGING_SECRET_DATABASE_URI: `mongodb://127.0.0.1:${s.mongoPort}/tiny`,
    };
    const first = await runPipeline(deployArgs(repo.artifact, "1111111aaaa"), env);
    expect(first.exitCode, first.output).toBe(0);
  }, 240_000);
  afterAll(async () => {
    if (s) await stopStagingServer(s.dir);
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it("stops the probe at once, rolls back to the release that passed health, releases the lock, leaves no key", async () => {
    const good = currentId();
    const hung = join(root, "hung-release");
    cpSync(repo.artifact, hung, { recursive: true });
    writeFileSync(join(hung, "frontend/stall-health"), "");
    const tmp = mkdtempSync(join(root, "tmp-"));
    const run = startPipeline(deployArgs(hung, "6666666ffff"), { ...env, TMPDIR: tmp });
    await run.waitFor(/task health\n/, 180_000);
    // The first probe through nginx is now held by the app (10 s), as by a hung app.
    await new Promise((r) => setTimeout(r, 500));
    const sent = Date.now();
    run.signal("SIGTERM");
    await run.waitFor(/automatic rollback to/, 30_000);
    // The hung probe alone would take 3 s (curl --max-time) per attempt; it was killed instead.
    expect(Date.now() - sent).toBeLessThan(5_000);
    const r = await run.done;
    expect(r.stderr).toMatch(/deploy failed at health: interrupted by SIGTERM\nrolled back automatically/);
    expect(r.exitCode).toBe(143);
    expect(existsSync(join(s.base, ".dep/deploy.lock")), "the deploy lock is still held").toBe(false);
    expect(keyCopies(tmp, s.keyFile)).toEqual([]);
    expect(currentId()).toBe(good);
    const served = await fetch(`http://127.0.0.1:${s.publicPort}/`);
    expect(served.headers.get("x-release")).toBe(good);
    const log = parseReleaseLog(readFileSync(join(s.base, ".dep/releases.jsonl"), "utf8"));
    expect(log.filter((e) => e.id === good).map((e) => e.status)).toContain("healthy");
    expect(log).toContainEqual(expect.objectContaining({ id: expect.stringMatching(/-6666666$/), status: "bad" }));
  }, 240_000);
});

/**
 * Files under `dir` holding the private key `keyFile` (the deploy's 0600 copies live in deploy-ssh-* dirs), found by a
 * line of its base64 body: the words "PRIVATE KEY" are in tsx's cache of the deploy's own sources too.
 */
function keyCopies(dir: string, keyFile: string): string[] {
  const body = readFileSync(keyFile, "utf8").split("\n")[1];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((rel) => join(dir, rel))
    .filter((p) => !statSync(p).isDirectory() && readFileSync(p, "utf8").includes(body));
}
