/** Where the bundled staging server keeps its keys, settings and DEPLOY_BASE. */
import { join, resolve } from "node:path";

/** The bundled staging server's folder when STAGING_SERVER_DIR does not name another. */
export const DEFAULT_STAGING_DIR = resolve(import.meta.dirname, "../../../.pipeline/staging");

/** The bundled staging server's folder the deploy commands read (STAGING_SERVER_DIR, else the default). */
export function stagingServerDir(env: Record<string, string | undefined>): string {
  return env.STAGING_SERVER_DIR || DEFAULT_STAGING_DIR;
}

/** The settings file the bundled staging server writes (STAGING_* for the deploy commands, mode 0600). */
export function stagingDeployEnv(env: Record<string, string | undefined>): string {
  return join(stagingServerDir(env), "deploy.env");
}
