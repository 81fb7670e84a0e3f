/** A loopback webhook receiver that records what it was sent (path, JSON body, raw body). */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Receiver {
  url: string;
  got: { path: string; body: Record<string, string>; raw: string }[];
  close(): Promise<void>;
}

/** Listen on 127.0.0.1 (a free port); `status` is what it answers. */
export async function webhookReceiver(status = 200): Promise<Receiver> {
  const got: Receiver["got"] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      got.push({ path: new URL(req.url!, "http://x").pathname, body: JSON.parse(raw || "{}"), raw });
      res.statusCode = status;
      res.end("ok");
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    got,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
