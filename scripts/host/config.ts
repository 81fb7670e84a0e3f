import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_FILE, type PipelineConfig } from "../../ci/src/plan/config/defaults";
import { factPaths } from "../../ci/src/plan/config/repoFacts";
import { ConfigError, parseConfig, missingPathError, requiredPaths } from "../../ci/src/plan/config/parse";

/** Read and validate a source directory's config file (optional), and check its paths exist. */
export function readConfig(sourceDir: string, file = CONFIG_FILE): PipelineConfig {
  const path = join(sourceDir, file);
  if (!existsSync(path) && file !== CONFIG_FILE) {
    throw new ConfigError(file, "", `is not in ${sourceDir}`, `add ${file}, or pass --config with the right path`);
  }
  const text = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  const paths = factPaths(parseConfig(text, file).backend.path);
  const read = (p: string) => (existsSync(join(sourceDir, p)) ? readFileSync(join(sourceDir, p), "utf8") : undefined);
  const config = parseConfig(text, file, {
    pythonVersionFile: read(paths.pythonVersionFile),
    pyproject: read(paths.pyproject),
  });
  for (const { key, path: p } of requiredPaths(config)) {
    if (!existsSync(join(sourceDir, p))) throw missingPathError(file, key, p);
  }
  return config;
}
