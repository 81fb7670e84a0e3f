/**
 * Loading `pipeline.yaml` from a source tree, written once for both runners: the Dagger runner reads a Directory,
 * the host runner a folder on disk; each passes only how to test for a path and read a file.
 */
import { CONFIG_FILE, type PipelineConfig } from "../plan/config/defaults";
import { factPaths } from "../plan/config/repoFacts";
import { ConfigError, missingPathError, parseConfig, requiredPaths } from "../plan/config/parse";

/** The source tree as config loading sees it. */
export interface ConfigSource {
  /** Where the files are, for messages: e.g. `the source` or a folder. */
  where: string;
  /** Whether a file or folder exists at a path relative to the source's root. */
  exists(path: string): Promise<boolean>;
  /** A file's text; rejects when it cannot be read. */
  read(path: string): Promise<string>;
}

/** Read and validate the source's config file (optional under its default name), and check its paths exist. */
export async function loadConfig(src: ConfigSource, file = CONFIG_FILE): Promise<PipelineConfig> {
  const text = await readConfigText(src, file);
  const paths = factPaths(parseConfig(text, file).backend.path);
  const fact = async (p: string) => ((await src.exists(p)) ? src.read(p).catch(() => undefined) : undefined);
  const [pythonVersionFile, pyproject] = await Promise.all([fact(paths.pythonVersionFile), fact(paths.pyproject)]);
  const config = parseConfig(text, file, { pythonVersionFile, pyproject });
  for (const { key, path } of requiredPaths(config)) {
    if (!(await src.exists(path))) throw missingPathError(file, key, path);
  }
  return config;
}

/** The config file's text; undefined when the default file is absent (defaults apply), an error for a named one. */
async function readConfigText(src: ConfigSource, file: string): Promise<string | undefined> {
  const fix = `add ${file}, or pass --config with the right path`;
  if (!(await src.exists(file))) {
    if (file === CONFIG_FILE) return undefined;
    throw new ConfigError(file, "", `is not in ${src.where}`, fix);
  }
  return src.read(file).catch(() => {
    throw new ConfigError(file, "", `cannot be read from ${src.where}`, fix);
  });
}
