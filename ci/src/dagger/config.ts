import type { Directory } from "@dagger.io/dagger";
import { CONFIG_FILE, type PipelineConfig } from "../plan/config/defaults";
import { factPaths } from "../plan/config/repoFacts";
import { ConfigError, parseConfig, missingPathError, requiredPaths } from "../plan/config/parse";

/** Read and validate the source's config file (optional), and check its paths exist. */
export async function readConfig(source: Directory, file = CONFIG_FILE): Promise<PipelineConfig> {
  const top = await source.entries();
  let text: string | undefined;
  if (top.includes(file) || file.includes("/")) {
    text = await source
      .file(file)
      .contents()
      .catch(() => {
        throw new ConfigError(
          file,
          "",
          "cannot be read from the source",
          `add ${file}, or pass --config with the right path`,
        );
      });
  } else if (file !== CONFIG_FILE) {
    throw new ConfigError(file, "", "is not in the source", `add ${file}, or pass --config with the right path`);
  }
  const paths = factPaths(parseConfig(text, file).backend.path);
  const read = (p: string) =>
    source
      .file(p)
      .contents()
      .catch(() => undefined);
  const [pythonVersionFile, pyproject] = await Promise.all([read(paths.pythonVersionFile), read(paths.pyproject)]);
  const config = parseConfig(text, file, { pythonVersionFile, pyproject });
  for (const { key, path } of requiredPaths(config)) {
    const parent = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
    const name = path.slice(path.lastIndexOf("/") + 1);
    const entries =
      parent === "."
        ? top
        : await source
            .directory(parent)
            .entries()
            .catch(() => [] as string[]);
    if (!entries.includes(name) && !entries.includes(`${name}/`)) throw missingPathError(file, key, path);
  }
  return config;
}
