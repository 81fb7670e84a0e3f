/**
 * The frontend's package manager (npm, pnpm, yarn classic or berry), told by its lockfile and package.json's
 * `packageManager`, and the commands each one installs (frozen to the lockfile) and runs scripts with. pnpm and yarn
 * come through corepack, which fetches the version `packageManager` names from the npm registry. Pure.
 */
import { managerSpec, parsePackageJson } from "./node";

export type JsManager = "npm" | "pnpm" | "yarn";

/** The lockfile names, and the files beside package.json that tell yarn berry from classic. */
export const JS_LOCKFILES: Record<JsManager, string> = {
  npm: "package-lock.json",
  pnpm: "pnpm-lock.yaml",
  yarn: "yarn.lock",
};

/** What the frontend directory shows: package.json's text, which lockfiles exist, and yarn.lock's text if any. */
export interface JsManagerFacts {
  packageJson?: string;
  lockfiles: JsManager[];
  yarnLock?: string;
}

/** The detected manager, whether yarn is berry (2+), and why. */
export interface JsManagerChoice {
  manager: JsManager;
  berry: boolean;
  why: string;
}

/** packageManager first (corepack obeys it), then the one lockfile present; npm when nothing says otherwise. */
export function detectJsManager(f: JsManagerFacts): JsManagerChoice {
  const field = parsePackageJson(f.packageJson).packageManager ?? "";
  const m = /^(npm|pnpm|yarn)@(\d+)/.exec(field);
  if (m) {
    const manager = m[1] as JsManager;
    const lock = f.lockfiles.includes(manager) ? ` and ${JS_LOCKFILES[manager]}` : "";
    return {
      manager,
      berry: manager === "yarn" && Number(m[2]) >= 2,
      why: `package.json packageManager ${managerSpec(field)}${lock}`,
    };
  }
  const found = f.lockfiles.filter((l) => l !== "npm");
  if (found.length === 1) {
    const manager = found[0];
    // A berry lockfile starts with a __metadata block; classic's is the v1 format.
    const berry = manager === "yarn" && /^__metadata:/m.test(f.yarnLock ?? "");
    const kind = manager === "yarn" ? (berry ? " (berry: __metadata)" : " (classic: lockfile v1)") : "";
    return { manager, berry, why: `${JS_LOCKFILES[manager]}${kind}` };
  }
  const why = f.lockfiles.includes("npm") ? "package-lock.json" : "no pnpm-lock.yaml or yarn.lock, no packageManager";
  return { manager: "npm", berry: false, why };
}

/** The argv prefix that runs the manager: npm itself, the others through corepack. */
export function managerArgv(manager: JsManager): string[] {
  return manager === "npm" ? ["npm"] : ["corepack", manager];
}

/** The frozen install: npm ci, pnpm --frozen-lockfile, yarn berry --immutable, yarn classic --frozen-lockfile. */
export function jsInstall(c: Pick<JsManagerChoice, "manager" | "berry">): string[] {
  const flag = { npm: [], pnpm: ["--frozen-lockfile"], yarn: c.berry ? ["--immutable"] : ["--frozen-lockfile"] };
  return c.manager === "npm" ? ["npm", "ci"] : [...managerArgv(c.manager), "install", ...flag[c.manager]];
}

/** Run a package.json script with the manager. */
export function jsRun(manager: JsManager, script: string): string[] {
  return [...managerArgv(manager), "run", script];
}

/** Run a binary the frontend depends on (from node_modules/.bin) with the manager, never downloading it. */
export function jsExec(manager: JsManager, bin: string): string[] {
  if (manager === "npm") return ["npx", "--no-install", bin];
  // yarn (classic and berry) runs a dependency's binary with `run` when no script has that name.
  return [...managerArgv(manager), manager === "pnpm" ? "exec" : "run", bin];
}

/** Where corepack takes yarn berry from: the npm registry every other download uses (see jsEnv). */
export const COREPACK_NPM_REGISTRY = "https://registry.npmjs.org";

/**
 * What corepack needs in the job: never to stop and ask before it downloads the manager `packageManager` names, and,
 * for yarn berry, the npm registry's `@yarnpkg/cli-dist` (the same yarn.js, so a `+sha…` pin still matches) instead
 * of repo.yarnpkg.com, one more host a runner may not reach. pipeline.yaml's frontend.env can set either.
 */
export function jsEnv(c: Pick<JsManagerChoice, "manager" | "berry">): Record<string, string> {
  if (c.manager === "npm") return {};
  const env: Record<string, string> = { COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" };
  if (c.berry) env.COREPACK_NPM_REGISTRY = COREPACK_NPM_REGISTRY;
  return env;
}

/**
 * Files the install reads, copied before the source so the dependency layer caches: berry's .yarnrc.yml if any, and
 * the yarn release its `yarnPath` names (yarn runs that file, whichever yarn corepack started).
 */
export function jsManifests(c: Pick<JsManagerChoice, "manager" | "berry">, yarnrc = true, yarnPath?: string): string[] {
  const berry = c.berry && yarnrc ? [".yarnrc.yml", ...(yarnPath ? [yarnPath] : [])] : [];
  return ["package.json", JS_LOCKFILES[c.manager], ...berry];
}

/** The `yarnPath` a .yarnrc.yml sets, as written (`./` dropped), if any. */
function yarnPathSetting(yarnrc: string | undefined): string | undefined {
  const m = /^yarnPath:\s*["']?([^"'#\s]+)["']?\s*(#.*)?$/m.exec(yarnrc ?? "");
  return m?.[1].replace(/^\.\//, "");
}

const insideFrontend = (path: string) => !/^([/\\~]|[A-Za-z]:)/.test(path) && !path.split(/[/\\]/).includes("..");

/** The `yarnPath` of a .yarnrc.yml (a release inside the repository, e.g. .yarn/releases/yarn-4.9.2.cjs), if any. */
export function yarnPathOf(yarnrc: string | undefined): string | undefined {
  const path = yarnPathSetting(yarnrc);
  return path && insideFrontend(path) ? path : undefined;
}

/**
 * A `yarnPath` outside the frontend (`../../x.cjs`, `/tmp/x.cjs`), which yarn berry would run as yarn: a file the
 * repository does not hold (the container has none, the host whatever is there). Undefined when inside or unset.
 */
export function yarnPathOutside(yarnrc: string | undefined): string | undefined {
  const path = yarnPathSetting(yarnrc);
  return path && !insideFrontend(path) ? path : undefined;
}

/**
 * The file each manager's install leaves in the frontend (relative to it), rewritten by every install: newer than the
 * lockfile, the installed tree matches it. yarn berry writes its install state under .yarn for both linkers (with
 * Plug'n'Play there is no node_modules at all).
 */
export function jsInstallMarker(c: Pick<JsManagerChoice, "manager" | "berry">): string {
  if (c.manager === "pnpm") return "node_modules/.modules.yaml";
  if (c.manager === "yarn") return c.berry ? ".yarn/install-state.gz" : "node_modules/.yarn-integrity";
  return "node_modules/.package-lock.json";
}

/** Where each manager keeps its download cache inside the node image (and corepack its managers). */
export function jsCachePaths(manager: JsManager, berry: boolean): { name: string; path: string }[] {
  const corepack = { name: "corepack", path: "/root/.cache/node/corepack" };
  if (manager === "pnpm") return [corepack, { name: "pnpm-store", path: "/root/.local/share/pnpm/store" }];
  if (manager === "yarn")
    return [
      corepack,
      berry
        ? { name: "yarn-berry", path: "/root/.yarn/berry/cache" }
        : { name: "yarn", path: "/usr/local/share/.cache/yarn" },
    ];
  return [{ name: "npm", path: "/root/.npm" }];
}
