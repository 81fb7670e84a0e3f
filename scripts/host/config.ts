import { existsSync, realpathSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, sep } from "node:path";
import { CONFIG_FILE, type PipelineConfig } from "../../ci/src/plan/config/defaults";
import { ConfigError } from "../../ci/src/plan/config/error";
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
    read: async (path) => decodeUtf8(await readFile(readable(join(sourceDir, path), path)), path),
    inside: async (path) => {
      const root = realpathSync(sourceDir);
      const real = realpathSync(join(sourceDir, path));
      return real === root || real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
    },
    isFolder: async (path) => statSync(join(sourceDir, path)).isDirectory(),
    size: async (path) => statSync(join(sourceDir, path)).size,
  };
}

/**
 * `full` when reading it ends: a FIFO, socket or device the repository put at pipeline.yaml or package.json would block
 * the read (and the job) for ever, so only files (and folders, which fail to read at once) are read.
 */
function readable(full: string, path: string): string {
  const st = statSync(full);
  if (st.isFile() || st.isDirectory()) return full;
  throw new ConfigError(
    path,
    "",
    "is not a regular file (a FIFO, socket or device), so it is not read",
    "make it a file",
  );
}
