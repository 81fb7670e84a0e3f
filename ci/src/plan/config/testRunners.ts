/**
 * Which steps run a test runner that takes a worker count, read from the repository's own files: a frontend step
 * whose command (or the package.json script it runs) calls jest or vitest, and a backend whose pyproject.toml declares
 * pytest-xdist. Pure.
 */
import type { Command } from "./defaults";

/** Step name → the JavaScript test runner it calls (jest or vitest), for the steps that call one. */
export function detectTestRunners(
  steps: Record<string, Command>,
  packageJson: string | undefined,
): Record<string, "jest" | "vitest"> {
  const scripts = scriptsOf(packageJson);
  const out: Record<string, "jest" | "vitest"> = {};
  for (const [name, cmd] of Object.entries(steps)) {
    const argv = typeof cmd === "string" ? cmd.trim().split(/\s+/) : cmd;
    const runner = runnerIn(scriptText(argv, scripts) ?? argv.join(" "));
    if (runner) out[name] = runner;
  }
  return out;
}

/** Whether pyproject.toml lists pytest-xdist among any dependencies (PEP 621, groups, or Poetry's tables). */
export function declaresXdist(pyproject: string | undefined): boolean {
  return /(?:["']\s*pytest-xdist\b|^\s*pytest-xdist\s*=)/im.test(pyproject ?? "");
}

/** The script a `npm|pnpm|yarn run <name>` (or `yarn <name>`) argv runs, as written in package.json. */
function scriptText(argv: string[], scripts: Record<string, string>): string | undefined {
  if (!["npm", "pnpm", "yarn", "corepack"].includes(argv[0])) return undefined;
  const rest = argv[0] === "corepack" ? argv.slice(2) : argv.slice(1);
  const name = ["run", "run-script"].includes(rest[0]) ? rest[1] : rest[0];
  return name === undefined ? undefined : scripts[name];
}

/** jest or vitest as the command's program (after env settings and runners such as npx or cross-env). */
function runnerIn(command: string): "jest" | "vitest" | undefined {
  if (/(?:^|[\s/])vitest(?:\s|$)/.test(command)) return "vitest";
  if (/(?:^|[\s/])jest(?:\s|$)/.test(command)) return "jest";
  return undefined;
}

function scriptsOf(packageJson: string | undefined): Record<string, string> {
  try {
    const pkg = JSON.parse(packageJson ?? "{}") as { scripts?: Record<string, unknown> };
    return Object.fromEntries(Object.entries(pkg.scripts ?? {}).filter(([, v]) => typeof v === "string")) as Record<
      string,
      string
    >;
  } catch {
    // A package.json the manager cannot read fails at install; here it only means nothing is detected.
    return {};
  }
}
