/**
 * Bench instrumentation of a built artifact: each process says which release it was started for, so a probe can
 * tell the target release from an old one still answering. ecosystem.config.cjs gives every frontend and backend
 * process RELEASE_ID (its release dir's name); these patches add it to every response as X-App-Release. They are
 * the same bytes in every release, so a one-file change stays a one-file change (P5).
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Prepended to the Next standalone server.js (CommonJS): stamp every response before its head is written. */
export const FRONTEND_PATCH = `// bench: say which release's process answered (RELEASE_ID, from ecosystem.config.cjs).
{
  const http = require("node:http");
  const writeHead = http.ServerResponse.prototype.writeHead;
  http.ServerResponse.prototype.writeHead = function (...args) {
    if (!this.headersSent) this.setHeader("X-App-Release", process.env.RELEASE_ID ?? "");
    return writeHead.apply(this, args);
  };
}
`;

/** Appended to the FastAPI app module: the same stamp as a middleware. */
export const BACKEND_PATCH = `

# bench: say which release's process answered (RELEASE_ID, from ecosystem.config.cjs).
import os as _bench_os  # noqa: E402


@app.middleware("http")
async def _bench_release_header(request, call_next):  # type: ignore[no-untyped-def]
    response = await call_next(request)
    response.headers["X-App-Release"] = _bench_os.environ.get("RELEASE_ID", "")
    return response
`;

/** Patch an assembled artifact (frontend/server.js, backend/app/main.py) in place. */
export function markReleases(artifactDir: string): void {
  const server = join(artifactDir, "frontend/server.js");
  writeFileSync(server, FRONTEND_PATCH + readFileSync(server, "utf8"));
  appendFileSync(join(artifactDir, "backend/app/main.py"), BACKEND_PATCH);
}
