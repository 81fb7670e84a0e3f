import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closedSsh } from "../../support/closedSsh";
import { promoteArtifact } from "../../../scripts/host/promote";
import type { TargetSettings } from "../../../scripts/host/target";

/**
 * When fetching staging's release fails, deploy-production prints the ssh command to check the connection with. It
 * printed `ssh -p PORT user@host true`, without the key and known_hosts, so typed as printed it could not log in
 * (2026-12-06, as rollback --list's did before 840da01).
 */
describe("promoteArtifact, when staging does not answer", () => {
  const root = mkdtempSync(join(tmpdir(), "promote-connection-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("names the key and known_hosts that outlive the run in its connection check", async () => {
    const { key, knownHosts, port } = await closedSsh(root);
    // The run's copies (gone once it ends) are what it connects with; `typed` names the files that stay.
    const copies = { keyFile: join(root, "key-copy"), knownHostsFile: join(root, "known_hosts-copy") };
    copyFileSync(key, copies.keyFile);
    copyFileSync(knownHosts, copies.knownHostsFile);
    const staging = (): TargetSettings => ({
      target: { name: "staging", host: "127.0.0.1", port, user: "deploy", basePath: "/srv/app" },
      ...copies,
      controlDir: root,
      typed: { keyFile: key, knownHostsFile: knownHosts },
      publicUrl: "http://127.0.0.1",
      secrets: {},
      dispose: () => {},
    });
    const record = {
      commit: "a".repeat(40),
      status: "passed" as const,
      suite: "full",
      passed: 1,
      failed: 0,
      flaky: 0,
      finishedAt: "2026-12-06T07:00:00Z",
      report: "r",
      release: "20261206T070000Z-aaaaaaa",
      artifact: `sha256:${"b".repeat(64)}`,
    };
    const err = await promoteArtifact({ record, staging, out: join(root, "out"), log: () => {} }).catch((e) => e);
    const typed = /Check the connection: (ssh .*)$/m.exec(String(err?.message))?.[1] ?? "";
    expect(typed, String(err)).toContain(`-p ${port}`);
    expect(typed).toContain(`-i '${key}'`);
    expect(typed).toContain(`'UserKnownHostsFile=${knownHosts}'`);
    expect(existsSync(key)).toBe(true);

    // The key copy gone (ssh: "Identity file … not accessible: No such file or directory") is a connection problem,
    // not staging having lost the release.
    rmSync(copies.keyFile);
    const gone = await promoteArtifact({ record, staging, out: join(root, "out2"), log: () => {} }).catch((e) => e);
    expect(String(gone?.message)).not.toMatch(/no longer holds release/);
    expect(String(gone?.message)).toMatch(/Check the connection: ssh /);
  }, 60_000);
});
