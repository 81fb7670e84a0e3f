import { describe, expect, it } from "vitest";
import { pinnedSshArgv } from "../../../../ci/src/plan/deploy/ssh";

describe("pinnedSshArgv", () => {
  const argv = pinnedSshArgv({ keyFile: "/k/id", knownHostsFile: "/k/known_hosts", port: 2222 });
  const options = argv.filter((_, i) => argv[i - 1] === "-o");

  it("pins the host key to the given known_hosts file and refuses any other", () => {
    expect(options).toEqual(
      expect.arrayContaining([
        "StrictHostKeyChecking=yes",
        "UserKnownHostsFile=/k/known_hosts",
        "GlobalKnownHostsFile=/dev/null",
      ]),
    );
  });

  it("uses only the given key, never an agent or a password prompt", () => {
    expect(argv.slice(0, 5)).toEqual(["ssh", "-i", "/k/id", "-p", "2222"]);
    expect(options).toEqual(expect.arrayContaining(["IdentitiesOnly=yes", "IdentityAgent=none", "BatchMode=yes"]));
  });

  /**
   * ssh reads ~/.ssh/config (from the passwd entry's home, not $HOME) and /etc/ssh/ssh_config unless told not to. A
   * config there runs commands in the deploy's own ssh, outside any sandbox, while the key copy exists: a
   * `Match exec "cat /tmp/deploy-ssh-<pid>-<x>/key > …"` (or a ProxyCommand) that a repository's build wrote into
   * ~/.ssh/config had the next deploy's ssh copy the key out (reproduced by hand on the loopback staging server).
   */
  it("reads no ssh config file, so no ProxyCommand or Match exec of one runs", () => {
    expect(argv.slice(5, 7)).toEqual(["-F", "/dev/null"]);
  });

  it("appends extra options after the pinned ones", () => {
    expect(pinnedSshArgv({ keyFile: "k", knownHostsFile: "h", port: 22 }, ["ControlPersist=60"]).slice(-2)).toEqual([
      "-o",
      "ControlPersist=60",
    ]);
  });
});
