import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/** An ssh endpoint that does not answer: a new key, its files, and the port nothing listens on that it is pinned to. */
export interface ClosedSsh {
  /** The private key's path (it holds a space, as the printed commands must quote it). */
  key: string;
  /** A known_hosts pinning the key's public half for `[127.0.0.1]:port` (its path holds a space too). */
  knownHosts: string;
  port: number;
}

/** Make the key and known_hosts under `root`, and find a port nothing listens on: taken, then given back. */
export async function closedSsh(root: string): Promise<ClosedSsh> {
  const key = join(root, "id key");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
  const port = await new Promise<number>((ok) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => ok(p));
    });
  });
  const knownHosts = join(root, "known hosts");
  const pub = readFileSync(`${key}.pub`, "utf8").split(" ").slice(0, 2).join(" ");
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${pub}\n`);
  return { key, knownHosts, port };
}
