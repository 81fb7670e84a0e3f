#!/usr/bin/env -S npx tsx
/**
 * Build once, as a command: the release deploy-* ships (Next standalone + backend with uv.lock +
 * ecosystem.config.cjs + REVISION), built by the same buildArtifact the host runner's deploy uses.
 * The Dagger deploy functions run it in their build container.
 *   npx tsx scripts/buildArtifact.ts --source examples/app --out /tmp/release --api-url https://api.example.com
 * --commit <sha> [--frontend-path frontend] [--backend-path backend]
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildArtifact } from "./host/artifact";

const { values } = parseArgs({
  options: {
    source: { type: "string" },
    out: { type: "string" },
    "api-url": { type: "string" },
    commit: { type: "string" },
    "frontend-path": { type: "string", default: "frontend" },
    "backend-path": { type: "string", default: "backend" },
  },
});
if (!values.source || !values.out || !values["api-url"] || !values.commit) {
  console.error("usage: npx tsx scripts/buildArtifact.ts --source DIR --out DIR --api-url URL --commit SHA");
  process.exit(2);
}
buildArtifact(resolve(values.source), resolve(values.out), {
  apiUrl: values["api-url"],
  commit: values.commit,
  log: (s) => console.log(`[build] ${s}`),
  paths: { frontend: values["frontend-path"], backend: values["backend-path"] },
}).then(
  (dir) => console.log(`[build] release assembled in ${dir}`),
  (e: Error) => {
    console.error(
      `build failed: ${e.message}\nre-run it alone: npx tsx scripts/buildArtifact.ts --source ${values.source} --out ${values.out} --api-url ${values["api-url"]} --commit ${values.commit}`,
    );
    process.exit(1);
  },
);
