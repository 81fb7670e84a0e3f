import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Directory } from "@dagger.io/dagger";
import { afterEach, describe, expect, it } from "vitest";
import { runE2eShard } from "../../../../ci/src/dagger/e2e/split";
import { ShardIndexError } from "../../../../ci/src/plan/e2e/split";

/** A Directory that records every use: an input check must not need the source. */
function watchedSource(touched: string[]): Directory {
  return new Proxy({} as Directory, {
    get: (_t, name) => {
      touched.push(String(name));
      throw new Error(`source.${String(name)} used before the inputs were checked`);
    },
  });
}

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A loopback HTTP server standing for staging: counts the readiness probes that reach it. */
async function staging(): Promise<{ url: string; hits: () => number }> {
  let n = 0;
  server = createServer((_req, res) => {
    n++;
    res.end("ok");
  });
  await new Promise<void>((up) => server!.listen(0, "127.0.0.1", up));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => n };
}

describe("end-to-end-shard's input check", () => {
  it.each([9, 0, 1.5])("refuses --index %s of --total 2 before reading the source or probing staging", async (i) => {
    const touched: string[] = [];
    const s = await staging();
    const run = runE2eShard(
      {
        source: watchedSource(touched),
        config: "pipeline.yaml",
        shards: 2,
        suite: "full",
        baseUrl: s.url,
        apiUrl: s.url,
      },
      i,
    );
    await expect(run).rejects.toThrow(ShardIndexError);
    await expect(run).rejects.toThrow(/^input error: --index .* is not a shard of --total 2/);
    expect(touched).toEqual([]);
    expect(s.hits()).toBe(0);
  });
});
