/**
 * The replay's repository secrets, planned: which host, ports, known_hosts line and URLs the jobs get for staging,
 * production and the webhook receiver. With the stand-in the jobs run on this host and dial loopback; with the real
 * CLI the functions run in the lab engine's containers, which reach the host only at the engine bridge's address, so
 * each server is given by the forwarders listening there. Pure: no process, no file.
 */

/** Where the jobs dial one server: the address and the ports (sshd, nginx) listening there for it. */
export interface Reach {
  host: string;
  sshPort: number;
  publicPort: number;
}

/** One bundled server as the plan needs it: its login, its files, its database and its loopback known_hosts line. */
export interface ServerSecrets {
  base: string;
  key: string;
  mongoPort: number;
  /** `[127.0.0.1]:<port> <type> <key>` as startStagingServer writes it. */
  knownHosts: string;
}

/**
 * The known_hosts line for a server reached at host:port: the same host key, under the name ssh looks up there
 * (`[host]:port`, ssh's form for a port other than 22).
 */
export function knownHostsAt(line: string, host: string, port: number): string {
  const key = line.trim().split(/\s+/).slice(1, 3);
  if (key.length !== 2) throw new Error(`not a known_hosts line: ${line.split(" ")[0]} …`);
  return `${port === 22 ? host : `[${host}]:${port}`} ${key.join(" ")}`;
}

/**
 * The secrets act reads, by name: each server's `*_HOST`, `*_SSH_PORT`, `*_KNOWN_HOSTS` and the staging URLs name
 * where the jobs dial it (`reach`); the database URIs stay on loopback (the app on the server itself reads them).
 */
export function planSecrets(o: {
  user: string;
  staging: ServerSecrets & { reach: Reach };
  production: ServerSecrets & { reach: Reach };
  /** The webhook receiver's base URL as the jobs dial it. */
  receiver: string;
}): Record<string, string> {
  const of = (P: string, x: ServerSecrets & { reach: Reach }) => ({
    [`${P}_HOST`]: x.reach.host,
    [`${P}_SSH_PORT`]: String(x.reach.sshPort),
    [`${P}_USER`]: o.user,
    [`${P}_BASE_PATH`]: x.base,
    [`${P}_SSH_KEY`]: x.key,
    [`${P}_KNOWN_HOSTS`]: knownHostsAt(x.knownHosts, x.reach.host, x.reach.sshPort),
    [`${P}_DATABASE_URI`]: `mongodb://127.0.0.1:${x.mongoPort}/autoauthor_${P.toLowerCase()}`,
  });
  const site = `http://${o.staging.reach.host}:${o.staging.reach.publicPort}`;
  return {
    ...of("STAGING", o.staging),
    ...of("PRODUCTION", o.production),
    STAGING_URL: site,
    STAGING_API_URL: site,
    SLACK_WEBHOOK: `${o.receiver}/slack`,
    // One path per severity, so the replay can tell which channel an alert reached.
    ALERT_WEBHOOK_WARNING: `${o.receiver}/alert-warning`,
    ALERT_WEBHOOK_CRITICAL: `${o.receiver}/alert-critical`,
    GITHUB_TOKEN: "replay-token-not-a-github-token",
  };
}

/** The dotenv text act's `--secret-file` reads: one `NAME="value"` a line, newlines escaped inside the quotes. */
export function formatSecretFile(all: Record<string, string>): string {
  const quote = (v: string) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
  return Object.entries(all)
    .map(([k, v]) => `${k}=${quote(v)}\n`)
    .join("");
}
