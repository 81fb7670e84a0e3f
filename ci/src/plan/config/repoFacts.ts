/**
 * What the repository itself says about its backend (`.python-version`, `pyproject.toml`), applied
 * where `pipeline.yaml` is silent. Each runner reads the two files; the deciding is pure and shared.
 */
import { ConfigError } from "./error";
import { parse } from "smol-toml";
import type { JsManager } from "../toolchain/javascript";
import type { NodePinFiles } from "../toolchain/node";

/** The backend's own files, as text (absent when the repository has none). */
export interface RepoFacts {
  pythonVersionFile?: string;
  pyproject?: string;
  /** Which lockfiles and requirements files the backend directory has (names, relative to it). */
  backendFiles?: string[];
  /** Files the requirements files include (`-r`, `-c`), relative to the backend directory, that exist. */
  requirementIncludes?: string[];
  /** The frontend's files that pin Node or name its package manager. */
  frontend?: FrontendFacts;
}

/** The frontend's own files: texts of the pins and package.json, and which lockfiles exist. */
export interface FrontendFacts extends NodePinFiles {
  lockfiles: JsManager[];
  yarnLock?: string;
  /** Whether yarn berry's .yarnrc.yml is there (berry runs on its defaults without one). */
  yarnrc?: boolean;
  /** .yarnrc.yml's text, for the committed yarn release its `yarnPath` names. */
  yarnrcText?: string;
}

/** Where each fact lives, relative to the source root, for a backend at `backendPath`. */
export function factPaths(backendPath: string): Record<"pythonVersionFile" | "pyproject", string> {
  const at = (f: string) => (backendPath === "." ? f : `${backendPath}/${f}`);
  return { pythonVersionFile: at(".python-version"), pyproject: at("pyproject.toml") };
}

/** A value taken from the repository, and why. */
export interface Detected<T> {
  value: T;
  why: string;
}

/** What the backend's files decide. */
export interface BackendFacts {
  pythonVersion?: Detected<string>;
  /** `[project.optional-dependencies]` names that hold test tools (`uv sync --extra`). */
  extras: Detected<string[]>;
  /** `[dependency-groups]` names that hold test tools (`uv sync --group`); uv adds `dev` by itself. */
  groups: Detected<string[]>;
}

/** The extra and group names that conventionally hold a project's test tools. */
export const TEST_EXTRA_NAMES = ["test", "tests", "testing", "dev"];

/**
 * Decide the backend's Python minor version and test extras/groups from its files. A requires-python
 * that allows `defaultPython` keeps it; one that does not picks the lowest minor it allows.
 */
export function detectBackend(facts: RepoFacts, defaultPython = "3.12"): BackendFacts {
  const toml = parsePyproject(facts.pyproject);
  const project = (toml.project ?? {}) as { "requires-python"?: unknown; "optional-dependencies"?: object };
  const requires = project["requires-python"];
  if (requires !== undefined && typeof requires !== "string")
    throw new ConfigError(
      "pyproject.toml",
      "project.requires-python",
      'must be a version specifier like ">=3.11"',
      'write it as a quoted string, requires-python = ">=3.11" (uv refuses anything else too)',
    );
  const extras = Object.keys(project["optional-dependencies"] ?? {}).filter((n) => TEST_EXTRA_NAMES.includes(n));
  const groups = Object.keys((toml["dependency-groups"] ?? {}) as object).filter(
    (n) => TEST_EXTRA_NAMES.includes(n) && n !== "dev",
  );
  return {
    pythonVersion: pythonFrom(facts.pythonVersionFile, requires, defaultPython),
    extras: { value: extras, why: extras.length ? "pyproject.toml [project.optional-dependencies]" : "none found" },
    groups: { value: groups, why: groups.length ? "pyproject.toml [dependency-groups]" : "none found" },
  };
}

function parsePyproject(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    return parse(text) as Record<string, unknown>;
  } catch {
    // A pyproject.toml uv cannot read fails loudly at `uv sync`; here it only means nothing is detected.
    return {};
  }
}

function pythonFrom(file?: string, requires?: string, fallback?: string): Detected<string> | undefined {
  const pinned = /^\s*(\d+)\.(\d+)/.exec(file ?? "");
  if (pinned) return { value: `${pinned[1]}.${pinned[2]}`, why: `.python-version says ${file?.trim()}` };
  if (!requires || (fallback && allowsMinor(requires, fallback))) return undefined;
  const floor = lowestAllowedMinor(requires);
  return floor ? { value: floor, why: `pyproject.toml requires-python "${requires}"` } : undefined;
}

/** The lowest Python 3 minor version a `requires-python` specifier allows, e.g. ">=3.11,<4" → "3.11". */
export function lowestAllowedMinor(spec: string): string | undefined {
  const clauses = spec.split(",").map((c) => c.trim());
  for (let minor = 8; minor <= 99; minor++) {
    if (clauses.every((c) => allows(c, 3, minor))) return `3.${minor}`;
  }
  return undefined;
}

function allowsMinor(spec: string, version: string): boolean {
  const [major, minor] = version.split(".").map(Number);
  return spec.split(",").every((c) => allows(c.trim(), major, minor));
}

function allows(clause: string, major: number, minor: number): boolean {
  const m = /^(>=|<=|==|!=|~=|>|<)\s*(\d+)(?:\.(\d+|\*))?/.exec(clause);
  if (!m) return true;
  const [, op, maj, min] = m;
  const v = major * 100 + minor;
  const w = Number(maj) * 100 + (min === undefined || min === "*" ? 0 : Number(min));
  const exactMinor = min !== undefined && min !== "*";
  switch (op) {
    case ">=":
    case "~=":
      return v >= w;
    case ">":
      // ">3.11" still allows 3.11.1; only a bare major excludes the whole series.
      return exactMinor ? v >= w : v > w + 99;
    case "<":
      return v < w;
    case "<=":
      return v <= w;
    case "==":
      return exactMinor ? v === w : Math.floor(v / 100) === Number(maj);
    case "!=":
      return !exactMinor || v !== w || /\.\d+\.\d+/.test(clause);
  }
  return true;
}
