import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postWebhook } from "../../../ci/src/io/webhook";
import { webhookReceiver, type Receiver } from "../../support/webhookReceiver";

/** A loopback webhook that answers every POST with `status` and a Location to `to`. */
async function redirecting(status: number, to: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(status, { location: to });
      res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => new Promise((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  };
}

describe("postWebhook (the host runner's POST of notifications and alerts)", () => {
  let elsewhere: Receiver;
  beforeAll(async () => {
    elsewhere = await webhookReceiver(200);
  });
  afterAll(() => elsewhere.close());

  it.each([301, 302, 303, 307, 308])(
    "does not follow a %i redirect: the body goes to no other host, and the post counts as failed",
    async (status) => {
      const hook = await redirecting(status, `${elsewhere.url}/stolen`);
      try {
        expect(await postWebhook(hook.url, { text: "the E2E result" })).toBe(`HTTP ${status}`);
        expect(elsewhere.got).toEqual([]);
      } finally {
        await hook.close();
      }
    },
  );
});
