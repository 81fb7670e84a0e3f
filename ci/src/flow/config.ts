/**
 * Loading `pipeline.yaml` from a source tree, written once for both runners: the Dagger runner reads a Directory,
 * the host runner a folder on disk; each passes only how to test for a path and read a file.
 */
import { CONFIG_FILE, type PipelineConfig } from "../plan/config/defaults";
import { factPaths, type FrontendFacts } from "../plan/config/repoFacts";
import { BACKEND_MANAGER_FILES, frontendFactPaths } from "../plan/config/toolchains";
import type { JsManager } from "../plan/toolchain/javascript";
import { includedPath, REQUIREMENTS_FILES, requirementRefs } from "../plan/toolchain/python";
import { ConfigError } from "../plan/config/error";
import { tooLargeConfig } from "../plan/config/yaml";
import { missingPathError, notFolderError, outsidePathError, parseConfig, requiredPaths } from "../plan/config/parse";

/** The source tree as config loading sees it. */
export interface ConfigSource {
  /** Where the files are, for messages: e.g. `the source` or a folder. */
  where: string;
  /** Whether a file or folder exists at a path relative to the source's root. */
  exists(path: string): Promise<boolean>;
  /** A file's text; rejects when it cannot be read. */
  read(path: string): Promise<string>;
  /** Whether an existing path, its links followed, stays inside the source; absent where no link can leave it. */
  inside?(path: string): Promise<boolean>;
  /** Whether an existing path is a folder (its links followed); absent where the listing cannot tell. */
  isFolder?(path: string): Promise<boolean>;
  /** An existing file's size in bytes, known before it is read; absent where it cannot be told. */
  size?(path: string): Promise<number>;
}

/** Read and validate the source's config file (optional under its default name), and check its paths exist. */
export async function loadConfig(src: ConfigSource, file = CONFIG_FILE): Promise<PipelineConfig> {
  const text = await readConfigText(src, file);
  const given = parseConfig(text, file);
  const paths = factPaths(given.backend.path);
  const fact = async (p: string) =>
    (await src.exists(p)) && (await isInside(src, p)) ? src.read(p).catch(() => undefined) : undefined;
  const [pythonVersionFile, pyproject] = await Promise.all([fact(paths.pythonVersionFile), fact(paths.pyproject)]);
  const at = (f: string) => (given.backend.path === "." ? f : `${given.backend.path}/${f}`);
  const present = await Promise.all(BACKEND_MANAGER_FILES.map(async (f) => ((await src.exists(at(f))) ? f : "")));
  const backendFiles = present.filter(Boolean);
  const roots = given.backend.requirements.length
    ? given.backend.requirements
    : REQUIREMENTS_FILES.filter((f) => backendFiles.includes(f));
  const facts = {
    pythonVersionFile,
    pyproject,
    backendFiles,
    requirementIncludes: await requirementIncludes(roots, (f) => fact(at(f))),
    frontend: await frontendFacts(src, given.frontend.path, fact),
  };
  const config = parseConfig(text, file, facts);
  for (const { key, path } of requiredPaths(config)) {
    if (!(await src.exists(path))) throw missingPathError(file, key, path);
    if (!(await isInside(src, path))) throw outsidePathError(file, key, path);
    if (src.isFolder && !(await src.isFolder(path))) throw notFolderError(file, key, path);
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
  if (!(await isInside(src, file))) {
    throw new ConfigError(
      file,
      "",
      `is a link to a file outside ${src.where}`,
      "replace the link with the file itself",
    );
  }
  // By its size first: reading a huge file (a sparse one costs nothing to make) would take the time and memory.
  const large = src.size && tooLargeConfig(await src.size(file), file);
  if (large) throw large;
  return src.read(file).catch((e: unknown) => {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(file, "", `cannot be read from ${src.where}`, fix);
  });
}

/** The frontend's pins, package.json and lockfiles, as the toolchain detection reads them. */
async function frontendFacts(
  src: ConfigSource,
  path: string,
  fact: (p: string) => Promise<string | undefined>,
): Promise<FrontendFacts> {
  const p = frontendFactPaths(path);
  const [nvmrc, nodeVersionFile, packageJson, yarnLock] = await Promise.all(
    [p.nvmrc, p.nodeVersionFile, p.packageJson, p.yarnLock].map(fact),
  );
  const locks = Object.entries(p.lockfiles) as [JsManager, string][];
  const lockfiles = (await Promise.all(locks.map(async ([m, f]) => ((await src.exists(f)) ? m : undefined)))).filter(
    (m): m is JsManager => m !== undefined,
  );
  const yarnrcText = await fact(p.yarnrc);
  return { nvmrc, nodeVersionFile, packageJson, yarnLock, lockfiles, yarnrc: yarnrcText !== undefined, yarnrcText };
}

/** What the requirements files include, followed a few levels down, relative to the backend (only files there). */
async function requirementIncludes(roots: string[], read: (file: string) => Promise<string | undefined>) {
  const seen = new Set(roots);
  const found: string[] = [];
  let level = roots;
  for (let depth = 0; depth < 4 && level.length; depth++) {
    const texts = await Promise.all(level.map(read));
    const next = level.flatMap((file, i) => requirementRefs(texts[i] ?? "").map((ref) => includedPath(file, ref)));
    level = [...new Set(next)].filter((f): f is string => f !== undefined && !seen.has(f));
    for (const f of level) seen.add(f);
    const exist = await Promise.all(level.map(async (f) => (await read(f)) !== undefined));
    level = level.filter((_, i) => exist[i]);
    found.push(...level);
  }
  return found;
}

async function isInside(src: ConfigSource, path: string): Promise<boolean> {
  return src.inside ? src.inside(path) : true;
}
