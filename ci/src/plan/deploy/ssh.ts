/**
 * The one ssh command line every runner uses to reach a server: pinned to a known_hosts file
 * (StrictHostKeyChecking=yes, never ssh-keyscan), key only, no agent, no passwords. Pure.
 */

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
  return ["ssh", "-i", o.keyFile, "-p", String(o.port), ...options.flatMap((x) => ["-o", x])];
}
