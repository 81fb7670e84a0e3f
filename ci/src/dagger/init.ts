/** The engine side of `init` (mirrors scripts/host/init.ts): list the source, read what init wants, return the file. */
import { dag, type Directory, type File } from "@dagger.io/dagger";
import { CONFIG_FILE } from "../plan/config/defaults";
import { INIT_SKIP, initWanted, planInit } from "../plan/config/init";

/** Guess the source's pipeline.yaml; return it as a File whose comments say why each key was guessed. */
export async function runInit(source: Directory): Promise<File> {
  const skip = new RegExp(`(^|/)(${INIT_SKIP.map((s) => s.replace(".", "\\.")).join("|")})/`);
  const paths = (await source.glob("**/*")).filter((p) => !skip.test(p) && !p.endsWith("/"));
  const wanted = initWanted(paths);
  const texts = await Promise.all(wanted.map((p) => source.file(p).contents()));
  const { yaml } = planInit({ paths, read: Object.fromEntries(wanted.map((p, i) => [p, texts[i]])) });
  return dag.directory().withNewFile(CONFIG_FILE, yaml).file(CONFIG_FILE);
}
