/**
 * `init`'s frontend steps: the repository's own scripts when it has them; with no scripts at all, the tools its
 * package.json depends on, run directly through its manager (an empty step list would be refused by the parser, and
 * a job that only installs checks nothing). Every step left out is named, with what to add. Pure.
 */
import { jsExec, jsRun, type JsManager } from "../toolchain/javascript";

/** The script names each step takes, first found wins. */
export const SCRIPT_NAMES: Record<string, string[]> = {
  lint: ["lint", "eslint"],
  typecheck: ["typecheck", "type-check", "check-types", "types", "tsc"],
  unit: ["test:coverage", "test:ci", "coverage", "test:cov", "test:unit", "test"],
  build: ["build"],
};

/** What to add for a step neither a script nor a known tool gives. */
const WANTED: Record<string, string> = {
  lint: 'a "lint" script or eslint',
  typecheck: 'a "typecheck" script or typescript',
  unit: 'a "test" script, vitest or jest',
  build: 'a "build" script',
};

interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** The step commands and why, for a package.json at `pkgPath` and its manager. */
export function frontendSteps(
  pkgPath: string,
  pkg: PackageJson,
  manager: JsManager,
): { steps: Record<string, string>; why: string } {
  const scripts = pkg.scripts ?? {};
  const steps: Record<string, string> = {};
  const found: string[] = [];
  for (const [step, names] of Object.entries(SCRIPT_NAMES)) {
    const name = names.find((n) => scripts[n]);
    if (name) {
      steps[step] = jsRun(manager, name).join(" ");
      found.push(`${step}: "${name}"`);
    }
  }
  const missing = Object.keys(SCRIPT_NAMES).filter((s) => !steps[s]);
  if (found.length) {
    const none = missing.length ? `; no script for ${missing.join(", ")}` : "";
    return { steps, why: `scripts in ${pkgPath}: ${found.join(", ")}${none}` };
  }
  return toolSteps(pkgPath, pkg, manager);
}

/** The tool each step runs when a package.json has no scripts, if it depends on one; argv after the binary. */
function toolFor(step: string, deps: Record<string, string>): string[] | undefined {
  if (step === "lint") return deps.eslint ? ["eslint", "."] : undefined;
  if (step === "typecheck") return deps.typescript ? ["tsc", "--noEmit"] : undefined;
  if (step === "build") return deps.next ? ["next", "build"] : undefined;
  if (deps.vitest) {
    const coverage = deps["@vitest/coverage-v8"] || deps["@vitest/coverage-istanbul"];
    return ["vitest", "run", ...(coverage ? ["--coverage"] : [])];
  }
  return deps.jest ? ["jest", "--ci", "--coverage"] : undefined;
}

function toolSteps(
  pkgPath: string,
  pkg: PackageJson,
  manager: JsManager,
): { steps: Record<string, string>; why: string } {
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const steps: Record<string, string> = {};
  const tools: string[] = [];
  const missing: string[] = [];
  for (const step of Object.keys(SCRIPT_NAMES)) {
    const tool = toolFor(step, deps);
    if (tool) {
      steps[step] = [...jsExec(manager, tool[0]), ...tool.slice(1)].join(" ");
      tools.push(tool[0]);
    } else missing.push(`no ${step} (add ${WANTED[step]})`);
  }
  const ran = tools.length ? `runs ${tools.join(", ")} from its dependencies` : "no tool among its dependencies";
  const why = `no scripts in ${pkgPath}: ${ran}; add scripts to choose the commands`;
  return { steps, why: [why, ...missing].join("; ") };
}
