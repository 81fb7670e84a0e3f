/**
 * The one ssh command line every runner uses to reach a server: pinned to a known_hosts file
 * (StrictHostKeyChecking=yes, never ssh-keyscan), key only, no agent, no passwords, no ssh_config. Pure.
 */

/** How a run's temp dir for its key copy, known_hosts and control socket is named: `<prefix><pid>-<random>`. */
export const KEY_DIR_PREFIX = "deploy-ssh-";

/**
 * The folder in TMPDIR that holds every run's key dir, one per user: the host runner's sandbox masks it whole, so a
 * command confined before a run made its key dir never sees that dir either.
 */
export function keyHolderName(uid: number): string {
  return `deploy-keys-${uid}`;
}

export interface PinnedSsh {
  keyFile: string;
  knownHostsFile: string;
  port: number;
}

/** `ssh -i KEY -p PORT -o …` up to (not including) `--` and the login. */
export function pinnedSshArgv(o: PinnedSsh, extraOptions: string[] = []): string[] {
  const options = [
    "IdentitiesOnly=yes",
    "IdentityAgent=none",
    `UserKnownHostsFile=${o.knownHostsFile}`,
    "GlobalKnownHostsFile=/dev/null",
    "StrictHostKeyChecking=yes",
    "BatchMode=yes",
    "ConnectTimeout=5",
    "LogLevel=ERROR",
    ...extraOptions,
  ];
  // -F /dev/null: no ssh_config is read (~/.ssh/config, which repository code run as this user can write, nor
  // /etc/ssh/ssh_config), so none of their ProxyCommand or Match exec runs in an ssh that holds the key.
  return ["ssh", "-i", o.keyFile, "-p", String(o.port), "-F", "/dev/null", ...options.flatMap((x) => ["-o", x])];
}
