import type { PipelineConfig } from "../config/defaults";
import { toArgv } from "../config/command";
import { containerWorkdir, type Job } from "../job";
import { thresholdOf } from "../config/thresholds";
import { jsCachePaths, jsEnv, jsManifests, managerArgv } from "../toolchain/javascript";
import { splitManager } from "../config/toolchains";

/** What every frontend job shares, by its package manager: the manifests, frozen install, caches, env and tools. */
export type FrontendToolchain = Pick<Job, "workdir" | "manifests" | "install" | "caches" | "env" | "tools">;

/** The frontend's toolchain as fast-tests and the E2E jobs both run it (npm, pnpm, yarn classic or berry). */
export function frontendToolchain(c: PipelineConfig): FrontendToolchain {
  const fe = c.frontend;
  const pm = splitManager(fe.packageManager);
  return {
    workdir: fe.path,
    manifests: jsManifests(pm, fe.yarnrc !== false, fe.yarnPath),
    install: [{ name: "install", argv: toArgv(fe.install, "frontend.install") }],
    caches: jsCachePaths(pm.manager, pm.berry).map((m) => ({ key: `${c.cacheNamespace}-${m.name}`, path: m.path })),
    env: { ...jsEnv(pm), ...fe.env },
    tools: [
      {
        bin: "node",
        range: fe.nodePin,
        installHint: `install Node.js ${fe.nodePin.range} (nvm install ${fe.nodeVersion}), or fix ${fe.nodePin.why}`,
      },
      pm.manager === "npm"
        ? { bin: "npm", installHint: "npm ships with Node.js; reinstall Node.js" }
        : {
            bin: managerArgv(pm.manager)[0],
            installHint: "corepack ships with Node.js up to 24; npm install -g corepack",
          },
    ],
  };
}

/** Plan the frontend job: a frozen install (npm, pnpm or yarn), then lint, typecheck, unit tests, build. */
export function planFrontendJob(c: PipelineConfig): Job {
  const fe = c.frontend;
  const tc = frontendToolchain(c);
  return {
    ...tc,
    name: "frontend",
    stage: "fast-tests",
    image: fe.image,
    steps: Object.entries(fe.steps).map(([name, cmd]) => ({
      name,
      argv: toArgv(cmd, `frontend.steps.${name}`),
      ...(name === "build" ? { env: fe.buildEnv } : {}),
      ...(fe.after[name] ? { after: fe.after[name] } : {}),
      ...(fe.cores[name] ? { cores: fe.cores[name] } : {}),
      ...(fe.testRunners?.[name] ? { workers: { runner: fe.testRunners[name] } } : {}),
    })),
    caches: [
      ...tc.caches,
      // next build rewrites .next/cache in place; two builds writing it at once on a shared engine corrupt it.
      {
        key: `${c.cacheNamespace}-next-cache`,
        path: `${containerWorkdir({ workdir: fe.path })}/.next/cache`,
        sharing: "locked",
      },
    ],
    services: [],
    artifacts: ["coverage", ".next"],
    threshold: thresholdOf(c.thresholds.fastTests),
  };
}
