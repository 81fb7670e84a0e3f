import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closedSsh } from "../../support/closedSsh";
import { readStagingRecord } from "../../../scripts/host/deploy";
import { keyCopyDirs } from "../../../scripts/host/target";
import { runPipeline } from "../../support/cli";

/**
 * deploy-production reads the commit's E2E record from staging over ssh. When that read failed (staging down, a
 * garbage STAGING_SSH_KEY), its empty output was taken as "no record": a 2026-12-06 hostile run's deploy-production
 * with staging's port closed said "no E2E record for commit … on staging; run the E2E stage … or pass --force-reason",
 * a fix that cannot work and that invites overriding the gate.
 */
describe("readStagingRecord, when staging cannot be read", () => {
  const root = mkdtempSync(join(tmpdir(), "deploy-record-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const sha = "a".repeat(40);

  it("fails naming the connection check when staging does not answer, not as a missing record", async () => {
    const { key, knownHosts, port } = await closedSsh(root);
    const env = {
      STAGING_SERVER_DIR: join(root, "none"),
      STAGING_SSH_HOST: "127.0.0.1",
      STAGING_SSH_PORT: String(port),
      STAGING_SSH_USER: "deploy",
      STAGING_DEPLOY_PATH: "/srv/app",
      STAGING_SSH_KEY_FILE: key,
      STAGING_KNOWN_HOSTS: readFileSync(knownHosts, "utf8"),
    };
    const err = await readStagingRecord(sha, env).then(
      (text) => new Error(`read as a record: ${JSON.stringify(text)}`),
      (e: Error) => e,
    );
    expect(err.message).toMatch(/reading the E2E record for aaaaaaa on staging .* over ssh failed \(exit 255\)/);
    expect(err.message).toMatch(/Check the connection: ssh -i '.*id key'/);

    const garbage = { ...env, STAGING_SSH_KEY_FILE: "", STAGING_SSH_KEY: 'not a key "$x"' };
    await expect(readStagingRecord(sha, garbage)).rejects.toThrow(
      /STAGING_SSH_KEY is not a private key ssh can use without a passphrase/,
    );
  }, 60_000);
});

/**
 * A record is named by the full sha (.dep/e2e/<sha>.json), as the Dagger function requires. The host runner took a
 * short `--commit` (a release id's 7 hex): it made the key copy and connected to production, then threw a plain Error
 * while naming the record file: exit 1 with a stack trace (and with --force-reason it deployed a release logged by the
 * short sha alone).
 */
describe("deploy-production --commit", () => {
  const root = mkdtempSync(join(tmpdir(), "deploy-commit-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([["aaaaaaa1"], ["aaaaaaa1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]])(
    "%s (short) is refused before any key copy or connection, exit 2 with the fix",
    async (commit) => {
      const dir = mkdtempSync(join(root, "case-"));
      const { key, knownHosts, port } = await closedSsh(dir);
      const server = {
        SSH_HOST: "127.0.0.1",
        SSH_PORT: String(port),
        SSH_USER: "deploy",
        DEPLOY_PATH: "/srv/app",
        SSH_KEY_FILE: key,
        KNOWN_HOSTS: readFileSync(knownHosts, "utf8"),
        SECRET_DATABASE_URI: "mongodb://127.0.0.1:1/x",
      };
      const named = (prefix: string) => Object.fromEntries(Object.entries(server).map(([k, v]) => [prefix + k, v]));
      const tmp = join(dir, "tmp");
      const source = join(dir, "src");
      for (const d of [tmp, join(source, "frontend"), join(source, "backend")]) mkdirSync(d, { recursive: true });
      const env = {
        ...process.env,
        STAGING_SERVER_DIR: join(dir, "none"),
        TMPDIR: tmp,
        ...named("STAGING_"),
        ...named("PRODUCTION_"),
      };
      const r = await runPipeline(["deploy-production", "--source", source, "--commit", commit], env);
      expect(r.exitCode, r.output).toBe(2);
      expect(r.stderr).toMatch(/input error: .*--commit .* is not a full 40-hex sha.*git rev-parse/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.output).not.toMatch(/Check the connection/);
      expect(keyCopyDirs(tmp)).toEqual([]);
    },
    60_000,
  );
});
