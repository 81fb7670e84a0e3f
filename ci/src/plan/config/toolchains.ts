/**
 * The toolchain keys pipeline.yaml leaves unset, filled from the repository's own files: the Node pin (and so the
 * image's major), the frontend's package manager and its commands, the backend's package manager and its commands.
 * Pure: flow/config.ts reads the files.
 */
import { nodeImage } from "../images";
import {
  detectJsManager,
  jsInstall,
  jsRun,
  yarnPathOf,
  yarnPathOutside,
  type JsManager,
} from "../toolchain/javascript";
import { NODE_IMAGE_MAJORS, nodeImageMajor, nodePin, pinProblem } from "../toolchain/node";
import { ConfigError } from "./error";
import { printable } from "../triggers/commits";
import { detectPyManager, pyInstall, pyTest, REQUIREMENTS_FILES } from "../toolchain/python";
import type { FrontendConfig, FrontendManager, PipelineConfig } from "./defaults";
import type { FrontendFacts, RepoFacts } from "./repoFacts";

type Given = Record<string, unknown>;

/** Where each frontend fact lives, relative to the source root, for a frontend at `frontendPath`. */
export function frontendFactPaths(frontendPath: string) {
  const at = (f: string) => (frontendPath === "." ? f : `${frontendPath}/${f}`);
  return {
    nvmrc: at(".nvmrc"),
    nodeVersionFile: at(".node-version"),
    packageJson: at("package.json"),
    yarnLock: at("yarn.lock"),
    yarnrc: at(".yarnrc.yml"),
    lockfiles: { npm: at("package-lock.json"), pnpm: at("pnpm-lock.yaml"), yarn: at("yarn.lock") },
  };
}

/** The backend files whose presence picks its package manager, relative to the backend directory. */
export const BACKEND_MANAGER_FILES = ["uv.lock", "poetry.lock", ...REQUIREMENTS_FILES];

/** The manager name pipeline.yaml uses for a detected manager. */
export function frontendManagerName(manager: JsManager, berry: boolean): FrontendManager {
  return manager === "yarn" ? (berry ? "yarn-berry" : "yarn-classic") : manager;
}

/** The manager and whether it is yarn berry, from the name pipeline.yaml uses. */
export function splitManager(name: FrontendManager): { manager: JsManager; berry: boolean } {
  return { manager: name.startsWith("yarn") ? "yarn" : (name as JsManager), berry: name === "yarn-berry" };
}

/** Fill the frontend's Node pin, image and package manager (with its install and step commands) where unset. */
export function frontendFromRepo(
  set: Given,
  facts: FrontendFacts | undefined,
  d: FrontendConfig,
  out: string[],
): Given {
  const fe: Given = { ...set };
  const path = typeof set.path === "string" ? set.path : d.path;
  const packageJson = path === "." ? "package.json" : `${path}/package.json`;
  // corepack reads packageManager whatever pipeline.yaml says, so a value it would refuse is refused here, first.
  const bad = pinProblem(facts?.packageJson);
  if (bad) throw new ConfigError(packageJson, bad.key, bad.problem, bad.fix);
  if (set.nodeVersion !== undefined) {
    fe.nodePin = {
      range: String(set.nodeVersion),
      why: `pipeline.yaml frontend.nodeVersion "${String(set.nodeVersion)}"`,
    };
  } else {
    const pin = facts && nodePin(facts);
    const major = pin && nodeImageMajor(pin.range, pin.floorOnly ? Number(d.nodeVersion) : 0);
    if (pin && !major)
      throw new ConfigError(
        pin.why.startsWith("package.json") ? packageJson : path === "." ? "." : path,
        "",
        `${pin.why}, which allows none of Node ${NODE_IMAGE_MAJORS.join(", ")} (the node images and the versions this pipeline runs)`,
        `pin a range that includes one of them, or set frontend.nodeVersion and frontend.image in pipeline.yaml`,
      );
    if (pin && major) {
      fe.nodePin = pin;
      fe.nodeVersion = String(major);
      if (set.image === undefined) fe.image = nodeImage(String(major));
      out.push(`frontend.nodeVersion: ${pin.range} (${pin.why}; image node:${major})`);
    }
  }
  if (set.packageManager === undefined && facts) {
    const found = detectJsManager(facts);
    fe.packageManager = frontendManagerName(found.manager, found.berry);
    if (found.manager !== "npm") out.push(`frontend.packageManager: ${String(fe.packageManager)} (${found.why})`);
  }
  // Copied before the install only when it is there: a withFile of a missing file fails the Dagger job.
  if (facts?.yarnrc === false) fe.yarnrc = false;
  const release = yarnPathOf(facts?.yarnrcText);
  if (release) fe.yarnPath = release;
  const { manager, berry } = splitManager((fe.packageManager as FrontendManager | undefined) ?? d.packageManager);
  const outside = berry ? yarnPathOutside(facts?.yarnrcText) : undefined;
  if (outside)
    throw new ConfigError(
      path === "." ? ".yarnrc.yml" : `${path}/.yarnrc.yml`,
      "yarnPath",
      `is ${JSON.stringify(printable(outside))}, outside the frontend: yarn would run a file the repository does not hold`,
      "commit the release in the frontend (yarn set version 4.9.2 writes .yarn/releases/yarn-4.9.2.cjs and sets yarnPath to it)",
    );
  if (manager === "npm") return fe;
  if (set.install === undefined) fe.install = jsInstall({ manager, berry });
  if (set.steps === undefined) {
    // The default steps are npm scripts; the same scripts run through the repository's own manager.
    fe.steps = Object.fromEntries(
      Object.entries(d.steps).map(([name, cmd]) => [name, jsRun(manager, String(cmd).split(" ").pop() ?? name)]),
    );
  }
  return fe;
}

/** Fill the backend's package manager, requirements files, install and test commands where unset. */
export function backendManagerFromRepo(set: Given, facts: RepoFacts, out: string[]): Given {
  const be: Given = { ...set };
  const files = facts.backendFiles ?? [];
  if (set.packageManager === undefined && facts.backendFiles) {
    const found = detectPyManager({ files, pyproject: facts.pyproject });
    be.packageManager = found.manager;
    if (found.manager !== "uv") out.push(`backend.packageManager: ${found.manager} (${found.why})`);
  }
  const manager = (be.packageManager as PipelineConfig["backend"]["packageManager"] | undefined) ?? "uv";
  const found = REQUIREMENTS_FILES.filter((r) => files.includes(r));
  const requirements = (set.requirements as string[] | undefined) ?? found;
  be.requirements = requirements;
  be.requirementIncludes = facts.requirementIncludes ?? [];
  if (manager === "uv") return be;
  if (set.install === undefined) be.install = pyInstall(manager, requirements).deps.at(-1);
  if (set.test === undefined) be.test = pyTest(manager);
  return be;
}
