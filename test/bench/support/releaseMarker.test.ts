import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { markReleases } from "../../../bench/support/releaseMarker";
import { freePort } from "../../../scripts/host/services";
import { TOOLS_BIN } from "../../../scripts/host/stage";
import { EXAMPLE } from "../../support/example";

/** Start `argv` with RELEASE_ID set and wait until `url` answers; return the process. */
async function serve(argv: string[], cwd: string, url: string): Promise<ChildProcess> {
  const PATH = [TOOLS_BIN, process.env.PATH].join(delimiter);
  const env = { ...process.env, PATH, UV_PYTHON_DOWNLOADS: "never", RELEASE_ID: "20261129T200000Z-abcdef0" };
  const p = spawn(argv[0], argv.slice(1), { cwd, env });
  for (let i = 0; i < 1000; i++) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return p;
    await new Promise((r) => setTimeout(r, 100));
  }
  p.kill();
  throw new Error(`${argv.join(" ")} did not answer ${url}`);
}

describe("markReleases", () => {
  let dir: string;
  let proc: ChildProcess | undefined;
  afterEach(() => {
    proc?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  /** An artifact whose frontend/server.js is a tiny CommonJS server and whose backend is the example's. */
  function artifact(port: number): string {
    dir = mkdtempSync(join(tmpdir(), "marker-"));
    mkdirSync(join(dir, "frontend"), { recursive: true });
    const server = `require("node:http").createServer((q, s) => { s.setHeader("Content-Type", "text/plain"); s.end("page"); }).listen(${port}, "127.0.0.1");\n`;
    writeFileSync(join(dir, "frontend/server.js"), server);
    cpSync(join(EXAMPLE, "backend/app"), join(dir, "backend/app"), { recursive: true });
    markReleases(dir);
    return dir;
  }

  it("makes the frontend server stamp every response with its RELEASE_ID", async () => {
    const port = await freePort();
    const a = artifact(port);
    proc = await serve([process.execPath, join(a, "frontend/server.js")], a, `http://127.0.0.1:${port}/`);
    const r = await fetch(`http://127.0.0.1:${port}/`);
    expect(r.headers.get("x-app-release")).toBe("20261129T200000Z-abcdef0");
    expect(await r.text()).toBe("page");
  });

  it("makes the backend stamp every response with its RELEASE_ID, error responses too", async () => {
    const port = await freePort();
    const a = artifact(9);
    // uv makes the example backend's environment when no earlier test has (a fresh clone has none).
    const project = ["uv", "run", "--frozen", "--project", join(EXAMPLE, "backend"), "uvicorn"];
    const argv = [...project, "app.main:app", "--host", "127.0.0.1", "--port", String(port)];
    proc = await serve(argv, join(a, "backend"), `http://127.0.0.1:${port}/openapi.json`);
    const missing = await fetch(`http://127.0.0.1:${port}/api/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-app-release")).toBe("20261129T200000Z-abcdef0");
    expect(readFileSync(join(a, "backend/app/main.py"), "utf8")).toContain("X-App-Release");
  }, 150_000);
});
