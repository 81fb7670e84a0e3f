import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import { $ } from "zx";
import type { PipelineConfig } from "../../ci/src/plan/config/defaults";
import { repositoryEnv } from "../../ci/src/plan/env";
import { planMongoService } from "../../ci/src/plan/fastTests/mongo";
import { fetchProbe } from "../../ci/src/io/probe";
import { readinessUrls, waitForReady } from "../../ci/src/plan/e2e/readiness";
import { startBackground, type BackgroundProcess } from "./background";
import { freePort, startService, type RunningService } from "./services";
import { repositoryArgv } from "./sandbox";

/** The example app running on loopback ports: what `e2e` tests when no URL is given. */
export interface LocalApp {
  baseUrl: string;
  apiUrl: string;
  stop(): Promise<void>;
}

/**
 * Start the app locally the plain way: a MongoDB (mongod or a stand-in, as fast-tests picks it), uvicorn,
 * then `next build` with the API URL baked in and the standalone server. Everything started
 * is stopped again if a later part fails. `host` is the address the API and the frontend listen
 * on and are reached at (the engine lab passes the engine bridge's, so containers reach them).
 */
export async function startLocalApp(
  sourceDir: string,
  c: PipelineConfig,
  env: NodeJS.ProcessEnv,
  log: (s: string) => void,
  host = "127.0.0.1",
): Promise<LocalApp> {
  const started: (BackgroundProcess | RunningService)[] = [];
  const stop = async () => {
    await Promise.all(started.reverse().map((p) => p.stop()));
  };
  try {
    const mongo = await startService(planMongoService(c), env);
    started.push(mongo);
    const apiPort = await freePort();
    const apiUrl = `http://${host}:${apiPort}`;
    const dbUri = `mongodb://127.0.0.1:${mongo.port}/${c.services.mongo.database}`;
    log(`starting the API on ${apiUrl} (${mongo.bin} on ${mongo.port})`);
    started.push(
      startBackground(
        "uvicorn",
        ["uv", "run", "--frozen", "uvicorn", "app.main:app", "--host", host, "--port", String(apiPort)],
        join(sourceDir, c.backend.path),
        repositoryEnv(env, c.backend.env, { DATABASE_URI: dbUri }),
      ),
    );
    const fe = join(sourceDir, c.frontend.path);
    await buildFrontend(fe, apiUrl, repositoryEnv(env, c.frontend.env), log);
    const webPort = await freePort();
    const baseUrl = `http://${host}:${webPort}`;
    log(`starting the frontend on ${baseUrl}`);
    started.push(
      startBackground(
        "next",
        ["node", join(fe, ".next/standalone/server.js")],
        fe,
        // API_URL is read when the page is served (examples/app); an app that bakes NEXT_PUBLIC_API_URL got it above.
        repositoryEnv(env, { PORT: String(webPort), HOSTNAME: host, API_URL: apiUrl }),
      ),
    );
    await waitForReady(
      readinessUrls(baseUrl, apiUrl, c.e2e.healthPath),
      { attempts: 60, intervalSeconds: 0.5 },
      fetchProbe(),
      sleep,
    ).catch((e: Error) => {
      const tails = started.filter((p): p is BackgroundProcess => "tail" in p).map((p) => `[${p.name}] ${p.tail()}`);
      throw new Error(`the local example app did not start: ${e.message}\n${tails.join("\n")}`);
    });
    return { baseUrl, apiUrl, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function buildFrontend(
  fe: string,
  apiUrl: string,
  env: NodeJS.ProcessEnv,
  log: (s: string) => void,
): Promise<void> {
  if (!existsSync(join(fe, "node_modules/.package-lock.json"))) {
    log("npm ci (frontend)");
    await $({ cwd: fe, env, quiet: true })`${repositoryArgv(["npm", "ci", "--no-audit", "--no-fund"], fe)}`;
  }
  log(`next build with NEXT_PUBLIC_API_URL=${apiUrl}`);
  await $({
    cwd: fe,
    env: { ...env, NEXT_PUBLIC_API_URL: apiUrl },
    quiet: true,
  })`${repositoryArgv(["npm", "run", "build"], fe)}`;
  // The standalone server serves static files and public/ only when they are copied beside it.
  cpSync(join(fe, ".next/static"), join(fe, ".next/standalone/.next/static"), { recursive: true });
  if (existsSync(join(fe, "public")))
    cpSync(join(fe, "public"), join(fe, ".next/standalone/public"), { recursive: true });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
