import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchProbe } from "../../../ci/src/io/probe";

/**
 * The readiness probe against an app that answers 200 and then sends a body without end (the deployed app is
 * repository code): it read the whole body until its 5 s timeout (651 MB resident here, h15e2e), then called a ready
 * app not ready. It needs the status and the body's start only.
 */
describe("fetchProbe", () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/short") return res.writeHead(503).end("starting up");
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 97);
      const more = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", more);
      };
      more();
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))));

  it("takes the status and the body's first 500 bytes, never waiting for the rest", async () => {
    const t = Date.now();
    const r = await fetchProbe(3000)(`${url}/endless`);
    expect(r.status).toBe(200);
    expect(r.body).toBe("a".repeat(500));
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it("keeps a short body whole", async () => {
    expect(await fetchProbe(3000)(`${url}/short`)).toEqual({ status: 503, body: "starting up" });
  });
});
