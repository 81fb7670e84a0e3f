import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closedSsh } from "../../support/closedSsh";
import { readStagingRecord } from "../../../scripts/host/deploy";

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
