import type { Directory } from "@dagger.io/dagger";
import { CONFIG_FILE, type PipelineConfig } from "../plan/config/defaults";
import { checkEngineText } from "../plan/config/utf8";
import { loadConfig, type ConfigSource } from "../flow/config";

/** Read and validate the source's config file (optional), and check its paths exist. */
export async function readConfig(source: Directory, file = CONFIG_FILE): Promise<PipelineConfig> {
  return loadConfig(directorySource(source), file);
}

/** A Directory as config loading sees it: a path exists when its parent's listing names it. */
export function directorySource(source: Directory): ConfigSource {
  const listings = new Map<string, Promise<string[]>>();
  const list = (dir: string) => {
    if (!listings.has(dir))
      listings.set(
        dir,
        (dir === "." ? source : source.directory(dir)).entries().catch(() => [] as string[]),
      );
    return listings.get(dir)!;
  };
  return {
    where: "the source",
    exists: async (path) => {
      const at = path.replace(/\/+$/, "").lastIndexOf("/");
      const name = path.slice(at + 1).replace(/\/+$/, "");
      const entries = await list(at < 0 ? "." : path.slice(0, at));
      return entries.includes(name) || entries.includes(`${name}/`);
    },
    // A listing names a folder with a trailing slash.
    isFolder: async (path) => {
      if (path.replace(/\/+$/, "") === ".") return true;
      const at = path.replace(/\/+$/, "").lastIndexOf("/");
      const name = path.slice(at + 1).replace(/\/+$/, "");
      return (await list(at < 0 ? "." : path.slice(0, at))).includes(`${name}/`);
    },
    size: (path) => source.file(path).size(),
    // Refused when not UTF-8, as the host refuses it: the engine would hand over U+FFFD instead of the bytes.
    read: async (path) => {
      const file = source.file(path);
      const [text, size] = await Promise.all([file.contents(), file.size()]);
      return checkEngineText(text, size, path);
    },
  };
}
