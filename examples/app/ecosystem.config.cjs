// PM2 apps for a deployed release: two frontend and two backend instances on the ports
// the server declares in $DEPLOY_BASE/shared/server.json, behind nginx. Paths go through
// the `current` symlink (PM2 keeps them unresolved), so a restart runs the new release.
// App env comes from $DEPLOY_BASE/shared/env/<NAME> files, byte for byte.
const fs = require("node:fs");
const path = require("node:path");

const base = process.env.DEPLOY_BASE;
if (!base) throw new Error("DEPLOY_BASE is not set: run pm2 through scripts/deploy.ts or set DEPLOY_BASE");
const server = JSON.parse(fs.readFileSync(path.join(base, "shared/server.json"), "utf8"));
const envDir = path.join(base, "shared/env");
const env = {};
for (const name of fs.existsSync(envDir) ? fs.readdirSync(envDir) : []) {
  if (/^[A-Z][A-Z0-9_]*$/.test(name)) env[name] = fs.readFileSync(path.join(envDir, name), "utf8");
}
const current = path.join(base, "current");
const common = { exec_mode: "fork", autorestart: true, kill_timeout: 1500, merge_logs: true, time: false };

module.exports = {
  apps: [
    ...server.frontendPorts.map((port, i) => ({
      ...common,
      name: `frontend-${i}`,
      cwd: path.join(current, "frontend"),
      script: path.join(current, "frontend/server.js"),
      env: { ...env, NODE_ENV: "production", PORT: String(port), HOSTNAME: "127.0.0.1", NEXT_TELEMETRY_DISABLED: "1" },
    })),
    ...server.backendPorts.map((port, i) => ({
      ...common,
      name: `backend-${i}`,
      cwd: path.join(current, "backend"),
      script: path.join(current, "backend/.venv/bin/uvicorn"),
      interpreter: "none",
      args: ["app.main:app", "--host", "127.0.0.1", "--port", String(port), "--no-access-log", "--timeout-graceful-shutdown", "5"],
      env,
    })),
  ],
};
