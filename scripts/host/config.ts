import { existsSync, realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, sep } from "node:path";
import { CONFIG_FILE, type PipelineConfig } from "../../ci/src/plan/config/defaults";
import { decodeUtf8 } from "../../ci/src/plan/config/utf8";
import { loadConfig, type ConfigSource } from "../../ci/src/flow/config";

/** Read and validate a source directory's config file (optional), and check its paths exist. */
export async function readConfig(sourceDir: string, file = CONFIG_FILE): Promise<PipelineConfig> {
  return loadConfig(directorySource(sourceDir), file);
}

/** A folder on this machine as config loading sees it. */
export function directorySource(sourceDir: string): ConfigSource {
  return {
    where: sourceDir,
    exists: async (path) => existsSync(join(sourceDir, path)),
    read: async (path) => decodeUtf8(await readFile(join(sourceDir, path)), path),
    inside: async (path) => {
      const root = realpathSync(sourceDir);
      const real = realpathSync(join(sourceDir, path));
      return real === root || real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
    },
  };
}
