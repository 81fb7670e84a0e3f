#!/usr/bin/env -S npx tsx
/**
 * Load a loopback server until Ctrl-C or a bound, then print what failed:
 *   npx tsx scripts/loadgen.ts --url http://127.0.0.1:8080/ --url http://127.0.0.1:8080/api/v1/health [--seconds 30]
 * [--max 100000] [--close]
 * Exits 1 when any request failed.
 */
import { parseArgs } from "node:util";
import { formatLoad, startLoad } from "./host/loadGenerator";

const { values } = parseArgs({
  options: {
    url: { type: "string", multiple: true },
    seconds: { type: "string", default: "30" },
    max: { type: "string", default: "1000000" },
    close: { type: "boolean", default: false },
    pause: { type: "string", default: "0" },
  },
});
if (!values.url?.length) {
  console.error(
    "usage: npx tsx scripts/loadgen.ts --url URL [--url URL] [--seconds 30] [--max N] [--close] [--pause MS]",
  );
  process.exit(2);
}
const load = startLoad({
  urls: values.url,
  keepAlive: !values.close,
  maxSeconds: Number(values.seconds),
  maxRequests: Number(values.max),
  pauseMs: Number(values.pause),
});
process.on("SIGINT", () => void load.stop());
load.done.then((r) => {
  console.log(formatLoad(r));
  process.exitCode = r.failed ? 1 : 0;
});
