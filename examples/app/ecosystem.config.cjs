// PM2 apps for one deployed release in one blue/green slot. The deploy runs
//   DEPLOY_BASE=… DEPLOY_RELEASE=<id> DEPLOY_SLOT=<n> pm2 start releases/<id>/ecosystem.config.cjs
// Each slot has its own ports (shared/server.json `slots`); nginx routes to one slot while the
// other keeps the previous good release warm, so a rollback starts no process.
// Paths are the release's own dir, not `current`: two releases run side by side.
// App env comes from $DEPLOY_BASE/shared/env/<NAME> files, byte for byte.
const fs = require("node:fs");
const path = require("node:path");

const base = process.env.DEPLOY_BASE;
if (!base) throw new Error("DEPLOY_BASE is not set: run pm2 through scripts/serverDeploy.ts or set DEPLOY_BASE");
const server = JSON.parse(fs.readFileSync(path.join(base, "shared/server.json"), "utf8"));
const slots = server.slots ?? server.frontendPorts.map((p, i) => ({ frontendPorts: [p], backendPorts: [server.backendPorts[i]] }));
const slotIndex = Number(process.env.DEPLOY_SLOT ?? "0");
const slot = slots[slotIndex];
if (!slot) throw new Error(`DEPLOY_SLOT=${slotIndex}: server.json declares ${slots.length} slots`);
const release = process.env.DEPLOY_RELEASE ? path.join(base, "releases", process.env.DEPLOY_RELEASE) : path.join(base, "current");
const envDir = path.join(base, "shared/env");
const env = { RELEASE_ID: process.env.DEPLOY_RELEASE ?? "" };
for (const name of fs.existsSync(envDir) ? fs.readdirSync(envDir) : []) {
  if (/^[A-Z][A-Z0-9_]*$/.test(name)) env[name] = fs.readFileSync(path.join(envDir, name), "utf8");
}
const common = { exec_mode: "fork", autorestart: true, kill_timeout: 1500, merge_logs: true, time: false };

module.exports = {
  apps: [
    ...slot.frontendPorts.map((port, i) => ({
      ...common,
      name: `frontend-s${slotIndex}-${i}`,
      cwd: path.join(release, "frontend"),
      script: path.join(release, "frontend/server.js"),
      env: { ...env, NODE_ENV: "production", PORT: String(port), HOSTNAME: "127.0.0.1", NEXT_TELEMETRY_DISABLED: "1" },
    })),
    ...slot.backendPorts.map((port, i) => ({
      ...common,
      name: `backend-s${slotIndex}-${i}`,
      cwd: path.join(release, "backend"),
      script: path.join(release, "backend/.venv/bin/uvicorn"),
      interpreter: "none",
      args: ["app.main:app", "--host", "127.0.0.1", "--port", String(port), "--no-access-log", "--timeout-graceful-shutdown", "5"],
      env,
    })),
  ],
};
