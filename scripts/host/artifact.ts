import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  type Stats,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, isAbsolute, join, normalize, relative, sep } from "node:path";
import { $ } from "zx";
import { repositoryEnv } from "../../ci/src/plan/env";
import { claimCheckout, maskedFromRepository, repositoryArgv } from "./sandbox";
import { InputError } from "../../ci/src/plan/errors";
import { printable } from "../../ci/src/plan/triggers/commits";
import {
  formatManifest,
  isShipped,
  MANIFEST_FILE,
  UPLOAD_EXCLUDES,
  type ManifestEntry,
} from "../../ci/src/plan/deploy/artifact";

/** Where the frontend and backend live in the source (pipeline.yaml's frontend.path and backend.path). */
export interface SourcePaths {
  frontend: string;
  backend: string;
}

export const DEFAULT_SOURCE_PATHS: SourcePaths = { frontend: "frontend", backend: "backend" };

/** A release or a source that cannot be deployed; nothing was changed anywhere. */
export class ArtifactInputError extends InputError {}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/**
 * Check that `dir` is a release as buildArtifact assembles it: a Next standalone server, the backend source and the
 * PM2 ecosystem file. Throws ArtifactInputError naming what is missing and how to build one.
 */
export function checkArtifact(dir: string, flag = "--artifact"): string {
  const fix = "Fix: pass a release built by `npx tsx scripts/buildArtifact.ts`, or leave out --artifact to build one";
  if (!isDir(dir)) throw new ArtifactInputError(`${flag} ${printable(dir)} is not a directory. ${fix}`);
  const missing = [
    ["frontend/server.js", "it is not a Next standalone build"],
    ["backend", "it has no backend source"],
    ["ecosystem.config.cjs", "it has no PM2 ecosystem file"],
  ].find(([rel]) => !existsSync(join(dir, rel)));
  if (missing) throw new ArtifactInputError(`${flag} ${printable(dir)} has no ${missing[0]}: ${missing[1]}. ${fix}`);
  checkLinksStayInside(dir, dir, "the release", `${flag} ${printable(dir)}: `);
  return dir;
}

/**
 * Check that the release in `dir` was built from `commit` (either may be a short sha of the other): the release id,
 * the release log and the E2E gate go by the commit the deploy names, staging-commit (and so the E2E record) by the
 * REVISION the artifact was built with, so the two must agree. A release without REVISION (built before releases
 * carried one) is taken. Throws ArtifactInputError naming both.
 */
export function checkArtifactCommit(dir: string, commit: string, flag = "--artifact"): void {
  const file = join(dir, "REVISION");
  if (!existsSync(file) || !statSync(file).isFile()) return;
  const built = readFileSync(file, "utf8").trim().slice(0, 200);
  if (built.startsWith(commit) || (/^[0-9a-f]{7,40}$/.test(built) && commit.startsWith(built))) return;
  throw new ArtifactInputError(
    `${flag} ${printable(dir)} was built from commit ${printable(built)} (its REVISION), not ${printable(commit)}. ` +
      `Fix: pass --commit ${printable(built)}, or build the release of ${printable(commit)} (npx tsx scripts/buildArtifact.ts)`,
  );
}

/**
 * Check, before anything runs, that the source can be built into a release: the frontend and backend folders exist,
 * next.config asks for `output: "standalone"`, npm ci has a lockfile (or node_modules is there) and the PM2 ecosystem
 * file is there.
 */
export function checkBuildable(source: string, paths: SourcePaths): void {
  const where = (p: string) => `--source ${printable(source)}: ${p}`;
  const fe = join(source, paths.frontend);
  if (!isDir(fe))
    throw new ArtifactInputError(
      `${where(`no frontend folder ${paths.frontend}`)}. Fix: set frontend.path in pipeline.yaml`,
    );
  if (!isDir(join(source, paths.backend)))
    throw new ArtifactInputError(
      `${where(`no backend folder ${paths.backend}`)}. Fix: set backend.path in pipeline.yaml`,
    );
  const config = readdirSync(fe).find((f) => /^next\.config\.(js|cjs|mjs|ts|mts)$/.test(f));
  // Only a file is read: a FIFO the repository put there would block the deploy for ever.
  const text = config && statSync(join(fe, config)).isFile() ? readFileSync(join(fe, config), "utf8") : "";
  if (!/output\s*:\s*["'`]standalone["'`]/.test(text))
    throw new ArtifactInputError(
      `${where(`${join(paths.frontend, config ?? "next.config.*")} does not ask for a standalone build`)}; the server runs .next/standalone/server.js. Fix: add output: "standalone" to it`,
    );
  // The build installs with npm ci when node_modules is absent; without npm's lockfile it would fail after connecting.
  if (!existsSync(join(fe, "node_modules")) && !existsSync(join(fe, "package-lock.json"))) {
    const other = ["pnpm-lock.yaml", "yarn.lock"].filter((f) => existsSync(join(fe, f)));
    throw new ArtifactInputError(
      `${where(`${paths.frontend} has no package-lock.json${other.length ? ` (it has ${other.join(", ")})` : ""}`)}, and the release build installs with npm ci. Fix: add one (npm install --package-lock-only in ${paths.frontend}), or install the frontend's node_modules before the deploy`,
    );
  }
  const backend = BACKEND_FILES.map((f) => join(source, paths.backend, f));
  checkCopiedLinks(source, [join(fe, "public"), ...backend, join(source, "ecosystem.config.cjs")]);
  if (!existsSync(join(source, "ecosystem.config.cjs")))
    throw new ArtifactInputError(
      `${where("no ecosystem.config.cjs")} (PM2's apps for the release). Fix: add one, as examples/app has`,
    );
}

/**
 * Build once: the release the server receives is what the pipeline built here from the tested
 * commit — the Next standalone server (with .next/static and public) and the backend source
 * with its uv.lock. The server runs no build, only `uv sync --frozen --no-dev`.
 */
export async function buildArtifact(
  source: string,
  outDir: string,
  opts: { apiUrl: string; commit: string; log: (s: string) => void; paths?: SourcePaths; signal?: AbortSignal },
): Promise<string> {
  const paths = opts.paths ?? DEFAULT_SOURCE_PATHS;
  checkBuildable(source, paths);
  // The build reuses the checkout's node_modules and .next/cache: not a pull request's run's (sandbox.ts).
  claimCheckout(source, undefined, process.env);
  const fe = join(source, paths.frontend);
  // The build runs the repository's code: it gets the allowed part of this environment, never the deploy's secrets.
  const env = repositoryEnv(process.env, { NEXT_PUBLIC_API_URL: opts.apiUrl, NEXT_TELEMETRY_DISABLED: "1" });
  if (!existsSync(join(fe, "node_modules"))) {
    opts.log(`artifact: npm ci (${paths.frontend})`);
    await $({
      cwd: fe,
      env,
      quiet: true,
      signal: opts.signal,
    })`${repositoryArgv(["npm", "ci", "--no-audit", "--no-fund"], fe)}`;
  }
  opts.log(`artifact: next build in ${paths.frontend} (NEXT_PUBLIC_API_URL=${opts.apiUrl})`);
  await $({ cwd: fe, env, quiet: true, signal: opts.signal })`${repositoryArgv(["npm", "run", "build"], fe)}`;
  if (!existsSync(join(fe, ".next/standalone/server.js")))
    throw new ArtifactInputError(
      `next build in ${fe} wrote no .next/standalone/server.js. Fix: set output: "standalone" and outputFileTracingRoot to the frontend folder in next.config`,
    );
  return assembleArtifact(source, outDir, opts.commit, paths);
}

/**
 * Copy a built source into the release layout: frontend/ (standalone), backend/ (source + lock), ecosystem.config.cjs.
 */
export function assembleArtifact(
  source: string,
  outDir: string,
  commit: string,
  paths: SourcePaths = DEFAULT_SOURCE_PATHS,
): string {
  const fe = join(source, paths.frontend);
  const be = join(source, paths.backend);
  // What the build wrote is checked as the source is: links in the standalone server stay inside it (copied as
  // written), links anywhere else name a file of the repository (its bytes are copied).
  checkLinksStayInside(join(fe, ".next/standalone"), source, "the standalone build");
  const ecosystem = join(source, "ecosystem.config.cjs");
  checkCopiedLinks(source, [
    join(fe, ".next/static"),
    join(fe, "public"),
    ...BACKEND_FILES.map((f) => join(be, f)),
    ecosystem,
  ]);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, "backend"), { recursive: true });
  cpSync(join(fe, ".next/standalone"), join(outDir, "frontend"), { recursive: true, verbatimSymlinks: true });
  const byContent = { recursive: true, dereference: true };
  cpSync(join(fe, ".next/static"), join(outDir, "frontend/.next/static"), byContent);
  if (existsSync(join(fe, "public"))) cpSync(join(fe, "public"), join(outDir, "frontend/public"), byContent);
  for (const f of BACKEND_FILES) {
    if (existsSync(join(be, f)))
      cpSync(join(be, f), join(outDir, "backend", f), { ...byContent, filter: (p) => !p.includes("__pycache__") });
  }
  // PM2's apps, evaluated on the server: its bytes, as for the other copied files (a link was shipped as a link to
  // this machine's path).
  cpSync(ecosystem, join(outDir, "ecosystem.config.cjs"), { dereference: true });
  writeFileSync(join(outDir, "REVISION"), `${commit}\n`);
  writeFileSync(join(outDir, MANIFEST_FILE), treeManifest(outDir));
  return outDir;
}

/** The backend's files a release ships. */
const BACKEND_FILES = ["pyproject.toml", "uv.lock", "README.md", "app"];

/**
 * Every path under `root` (itself included), links not followed; nothing when it does not exist. A release holds
 * folders, regular files and links only: anything else (a FIFO, a socket, a device node, which rsync -a would make
 * on the server) is refused with ArtifactInputError, its path given relative to `from`.
 */
function* walk(root: string, from: string, prefix: string): Generator<string> {
  let st;
  try {
    st = lstatSync(root);
  } catch {
    return;
  }
  if (!st.isDirectory() && !st.isFile() && !st.isSymbolicLink())
    throw new ArtifactInputError(
      `${prefix}${printable(relative(from, root))} is not a file, a folder or a link (${specialKind(st)}); a release holds only those. Fix: remove it, or have the build write it elsewhere`,
    );
  yield root;
  if (st.isDirectory()) for (const name of readdirSync(root).sort()) yield* walk(join(root, name), from, prefix);
}

function specialKind(st: Stats): string {
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  if (st.isBlockDevice()) return "a block device";
  return st.isCharacterDevice() ? "a character device" : "a special file";
}

const linkFix =
  "Fix: commit the file itself (or a link to a file inside the repository, whose bytes the release then holds)";

/**
 * The folders and files a release copies by content (public/, .next/static, the backend's files): each link in them
 * must name a regular file inside the repository, whose bytes are shipped. A link out of the repository would ship
 * (or, copied as a link, make the server's app serve) a file that is not the repository's; one that dangles or names
 * a folder has nothing to ship. Throws ArtifactInputError naming the first such link.
 */
function checkCopiedLinks(source: string, roots: string[]): void {
  const repo = realpathSync(source);
  for (const root of roots)
    for (const p of walk(root, source, `--source ${printable(source)}: `)) {
      if (!lstatSync(p).isSymbolicLink()) continue;
      const link = `--source ${printable(source)}: ${printable(relative(source, p))} is a link to ${printable(readlinkSync(p))}`;
      let real: string;
      try {
        real = realpathSync(p);
      } catch {
        throw new ArtifactInputError(`${link}, which does not exist. ${linkFix}`);
      }
      if (real !== repo && !real.startsWith(repo + sep))
        throw new ArtifactInputError(
          `${link}, outside the repository; a release ships only the repository's files. ${linkFix}`,
        );
      const st = statSync(real);
      if (!st.isFile())
        throw new ArtifactInputError(`${link}, ${st.isDirectory() ? "a folder" : "not a regular file"}. ${linkFix}`);
      // The build, confined, reads such a file as empty; the runner copies a link's target by content, so it must not
      // copy one for it (a key the repository's checkout holds, named by STAGING_SSH_KEY_FILE).
      if (maskedFromRepository(real, source))
        throw new ArtifactInputError(
          `${link}, a file repository commands may not read (a key or a setting of this runner), so it is not shipped. Fix: remove the link, and the step of the repository's build that made it`,
        );
    }
}

/**
 * Each link under `root` must lead, as written, to a place inside `root` (not absolute, no `..` past it): such a tree
 * is shipped with its links as they are. Names are given relative to `from`. Throws ArtifactInputError.
 */
function checkLinksStayInside(root: string, from: string, what: string, prefix = ""): void {
  for (const p of walk(root, from, prefix)) {
    if (p === root || !lstatSync(p).isSymbolicLink()) continue;
    const target = readlinkSync(p);
    const lands = normalize(join(dirname(relative(root, p)), target));
    if (isAbsolute(target) || lands === ".." || lands.startsWith(`..${sep}`))
      throw new ArtifactInputError(
        `${prefix}${printable(relative(from, p))} is a link to ${printable(target)}, outside ${what}. ${linkFix}`,
      );
  }
}

/**
 * The canonical manifest of a release tree: every file and symlink the upload ships (UPLOAD_EXCLUDES left out, as
 * rsync leaves them), MANIFEST itself excluded. `only`: list just these paths (a fetched release holds server
 * installs too).
 */
export function treeManifest(dir: string, only?: Set<string>): string {
  const entries: ManifestEntry[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (path === MANIFEST_FILE || !isShipped(path, UPLOAD_EXCLUDES)) continue;
      const abs = join(dir, path);
      const st = lstatSync(abs);
      if (st.isDirectory()) walk(path);
      else if (only && !only.has(path)) continue;
      else if (st.isSymbolicLink()) entries.push({ path, kind: "link", target: readlinkSync(abs) });
      else if (st.isFile()) {
        const sha256 = createHash("sha256").update(readFileSync(abs)).digest("hex");
        entries.push({ path, kind: "file", mode: (st.mode & 0o777).toString(8).padStart(3, "0"), sha256 });
      }
    }
  };
  walk("");
  return formatManifest(entries);
}

/** The artifact's digest: `sha256:` + the sha256 of its manifest text. */
export function manifestDigest(manifest: string | Buffer): string {
  return `sha256:${createHash("sha256").update(manifest).digest("hex")}`;
}
