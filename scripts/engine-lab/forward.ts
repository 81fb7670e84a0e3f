/**
 * How the lab's containers reach servers on the host's loopback: the engine's CNI bridge (dagger0) gateway is the
 * host as containers see it, so a TCP forwarder listening on that address passes connections to 127.0.0.1:<port>.
 * (The staging server's sshd and nginx, and the local example app, listen on loopback only.)
 */
import { createConnection, createServer, type AddressInfo, type Server } from "node:net";
import { networkInterfaces } from "node:os";

/** The engine bridge's IPv4 address on the host (dagger0, 10.87.0.1 by default). */
export function bridgeIp(name = process.env.ENGINE_LAB_BRIDGE ?? "dagger0"): string {
  const a = networkInterfaces()[name]?.find((i) => i.family === "IPv4");
  if (!a) throw new Error(`no ${name} interface: is the lab's engine running? (scripts/engine-lab/lab.sh up)`);
  return a.address;
}

export interface Forward {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Listen on host:port (port 0 = any free one; or the same port as the target) and pipe to 127.0.0.1:target. */
export async function forward(host: string, target: number, port = 0): Promise<Forward> {
  const server: Server = createServer((inbound) => {
    const out = createConnection({ host: "127.0.0.1", port: target });
    inbound.pipe(out).pipe(inbound);
    const end = () => {
      inbound.destroy();
      out.destroy();
    };
    inbound.on("error", end);
    out.on("error", end);
  });
  await new Promise<void>((ok, fail) => server.once("error", fail).listen(port, host, ok));
  return {
    host,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
