/**
 * A tiny repository and its release, small enough to deploy in seconds to the real loopback staging server: the
 * frontend and backend are one node HTTP server (200 on every path), the backend a Python project with no
 * dependencies, and its PM2 apps and deploy.migrate each write their whole environment as JSON into `dumpDir`, as
 * hostile repository code would read it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TinyRepo {
  /** --source: pipeline.yaml (deploy.migrate dumps its env), next.config, ecosystem. */
  source: string;
  /** --artifact: a release as buildArtifact assembles it. */
  artifact: string;
  /** Where each repository process wrote `<who>-<pid>.json`. */
  dumpDir: string;
}

/**
 * A release carrying frontend/stall-health answers the health URL through nginx (whose Host has no port) once, for the
 * deploy's route check, then holds every later one 10 s and answers 503: a hung app, after the switch.
 */
const SERVER = `const http = require("node:http");
const fs = require("node:fs");
fs.writeFileSync(process.env.ENV_DUMP + "/app-" + process.pid + ".json", JSON.stringify(process.env));
const stalls = fs.existsSync(__dirname + "/stall-health");
let viaNginx = 0;
http.createServer((q, s) => {
  const proxied = q.url === "/api/v1/health" && !String(q.headers.host).includes(":");
  if (stalls && proxied && ++viaNginx > 1) return setTimeout(() => { s.statusCode = 503; s.end("hung"); }, 10000);
  s.end("ok");
}).listen(Number(process.env.PORT), "127.0.0.1");
`;

const ECOSYSTEM = (dumpDir: string) => `const fs = require("node:fs");
const path = require("node:path");
const base = process.env.DEPLOY_BASE;
const server = JSON.parse(fs.readFileSync(path.join(base, "shared/server.json"), "utf8"));
const n = Number(process.env.DEPLOY_SLOT ?? "0");
const release = path.join(base, "releases", process.env.DEPLOY_RELEASE);
const envDir = path.join(base, "shared/env");
const secrets = Object.fromEntries(fs.readdirSync(envDir).map((f) => [f, fs.readFileSync(path.join(envDir, f), "utf8")]));
const env = { ...secrets, RELEASE_ID: process.env.DEPLOY_RELEASE, ENV_DUMP: ${JSON.stringify(dumpDir)} };
const app = (name, port) => ({
  name, script: path.join(release, "frontend/server.js"), exec_mode: "fork", env: { ...env, PORT: String(port) },
});
module.exports = { apps: [
  ...server.slots[n].frontendPorts.map((p, i) => app("frontend-s" + n + "-" + i, p)),
  ...server.slots[n].backendPorts.map((p, i) => app("backend-s" + n + "-" + i, p)),
] };
`;

const PYPROJECT = `[project]\nname = "tiny"\nversion = "0.0.1"\nrequires-python = ">=3.9"\ndependencies = []\n`;
const UV_LOCK = `version = 1\nrevision = 3\nrequires-python = ">=3.9"\n\n[[package]]\nname = "tiny"\nversion = "0.0.1"\nsource = { virtual = "." }\n`;

/** Write the tiny repository and its release under `root`. */
export function tinyRepo(root: string): TinyRepo {
  const source = join(root, "tiny-src");
  const artifact = join(root, "tiny-release");
  const dumpDir = join(root, "env-dumps");
  const migrate = `python3 -c 'import os,json; json.dump(dict(os.environ), open("${dumpDir}/migrate-%d.json" % os.getpid(), "w"))'`;
  const files: Record<string, string> = {
    [join(source, "pipeline.yaml")]:
      `deploy:\n  health: { attempts: 4, intervalSeconds: 1 }\n  watch: { windowSeconds: 0 }\n  migrate: ${JSON.stringify(migrate)}\n`,
    [join(source, "frontend/next.config.js")]: 'module.exports = { output: "standalone" };\n',
    [join(source, "backend/pyproject.toml")]: PYPROJECT,
    [join(source, "ecosystem.config.cjs")]: ECOSYSTEM(dumpDir),
    [join(artifact, "frontend/server.js")]: SERVER,
    [join(artifact, "backend/pyproject.toml")]: PYPROJECT,
    [join(artifact, "backend/uv.lock")]: UV_LOCK,
    [join(artifact, "ecosystem.config.cjs")]: ECOSYSTEM(dumpDir),
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, text);
  }
  mkdirSync(dumpDir, { recursive: true });
  return { source, artifact, dumpDir };
}
