import type { PipelineConfig } from "../config/defaults";
import { toArgv } from "../config/command";
import { containerWorkdir, type Job } from "../job";
import { thresholdOf } from "../config/thresholds";

/** Plan the frontend job: npm ci on the lockfile, then lint, typecheck, unit tests, build. */
export function planFrontendJob(c: PipelineConfig): Job {
  const fe = c.frontend;
  return {
    name: "frontend",
    stage: "fast-tests",
    image: fe.image,
    workdir: fe.path,
    manifests: ["package.json", "package-lock.json"],
    install: [{ name: "install", argv: toArgv(fe.install, "frontend.install") }],
    steps: Object.entries(fe.steps).map(([name, cmd]) => ({
      name,
      argv: toArgv(cmd, `frontend.steps.${name}`),
      ...(name === "build" ? { env: fe.buildEnv } : {}),
    })),
    caches: [
      { key: `${c.cacheNamespace}-npm`, path: "/root/.npm" },
      // next build rewrites .next/cache in place; two builds writing it at once on a shared engine corrupt it.
      {
        key: `${c.cacheNamespace}-next-cache`,
        path: `${containerWorkdir({ workdir: fe.path })}/.next/cache`,
        sharing: "locked",
      },
    ],
    env: fe.env,
    services: [],
    tools: [
      {
        bin: "node",
        minMajor: Number.parseInt(fe.nodeVersion, 10),
        installHint: `install Node.js ${fe.nodeVersion} (Debian: apt-get install nodejs, or nvm install ${fe.nodeVersion})`,
      },
      { bin: "npm", installHint: "npm ships with Node.js; reinstall Node.js" },
    ],
    artifacts: ["coverage", ".next"],
    threshold: thresholdOf(c.thresholds.fastTests),
  };
}
