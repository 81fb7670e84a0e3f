import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closedSsh } from "../../support/closedSsh";
import { runPipeline } from "../../support/cli";

/**
 * A failed `staging-commit` prints the ssh command to check the connection with. It printed `ssh -p PORT user@host
 * true`, without the key and known_hosts the run used, so typed as printed it could not log in (2026-12-06, as
 * rollback --list's did before 840da01).
 */
describe("staging-commit, when staging does not answer", () => {
  const root = mkdtempSync(join(tmpdir(), "staging-commit-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("prints a connection check that names the key and known_hosts files, which outlive the run", async () => {
    const { key, knownHosts, port } = await closedSsh(root);
    const r = await runPipeline(["staging-commit"], {
      ...process.env,
      STAGING_SSH_HOST: "127.0.0.1",
      STAGING_SSH_PORT: String(port),
      STAGING_SSH_USER: "deploy",
      STAGING_SSH_KEY_FILE: key,
      STAGING_KNOWN_HOSTS_FILE: knownHosts,
      STAGING_DEPLOY_PATH: "/srv/app",
    });
    expect(r.exitCode, r.output).toBe(1);
    const typed = /Check the connection: (ssh .*)$/m.exec(r.stderr)?.[1] ?? "";
    expect(typed, r.stderr).toContain(`-p ${port}`);
    // Named as typed, quoted for the shell (both paths hold a space).
    expect(typed).toContain(`-i '${key}'`);
    expect(typed).toContain(`'UserKnownHostsFile=${knownHosts}'`);
    expect(existsSync(key) && existsSync(knownHosts)).toBe(true);
  }, 60_000);
});
