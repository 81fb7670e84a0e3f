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

/**
 * The commands that only read staging over ssh did not check the key first: given a STAGING_SSH_KEY that is no key
 * (a value pasted wrong), a 2026-12-06 hostile run's `rollback --list` and `staging-commit` connected, then exited 1
 * "error in libcrypto … Permission denied (publickey). Check the connection", which names the wrong fix.
 */
describe("the commands that read staging over ssh, given a STAGING_SSH_KEY that is no key", () => {
  const root = mkdtempSync(join(tmpdir(), "staging-read-key-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([[["staging-commit"]], [["rollback", "--list"]]])(
    "%j exits 2 naming the key, before connecting",
    async (args) => {
      const { knownHosts, port } = await closedSsh(mkdtempSync(join(root, "k-")));
      const r = await runPipeline(args, {
        ...process.env,
        STAGING_SERVER_DIR: join(root, "none"),
        STAGING_SSH_HOST: "127.0.0.1",
        STAGING_SSH_PORT: String(port),
        STAGING_SSH_USER: "deploy",
        STAGING_SSH_KEY: 'not a key "$x" with spaces',
        STAGING_KNOWN_HOSTS_FILE: knownHosts,
        STAGING_DEPLOY_PATH: "/srv/app",
      });
      expect(r.exitCode, r.output).toBe(2);
      expect(r.stderr.trim()).toMatch(/^input error: STAGING_SSH_KEY is not a private key ssh can use/);
      expect(r.stderr).not.toMatch(/Check the connection/);
    },
    60_000,
  );
});
