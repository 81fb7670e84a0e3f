/**
 * The backend's package manager: uv (uv.lock), Poetry (poetry.lock or `[tool.poetry]`), or plain requirements files
 * installed by `uv pip`. Poetry runs through `uvx` at a pinned version, so uv stays the one Python tool a machine
 * needs. Pure: the runners say which files exist.
 */

export type PyManager = "uv" | "poetry" | "pip";

/** Poetry as uvx runs it; pinned so a new Poetry release never changes a green pipeline. */
export const POETRY_VERSION = "2.5.1";

/**
 * Requirements files the install reads, in this order when present (the first is the app's own), relative to the
 * backend: beside it, or split in a requirements/ folder.
 */
export const REQUIREMENTS_FILES = [
  "requirements.txt",
  "requirements-dev.txt",
  "requirements-test.txt",
  "dev-requirements.txt",
  "test-requirements.txt",
  "requirements/base.txt",
  "requirements/dev.txt",
  "requirements/test.txt",
];

/** What the backend directory shows. */
export interface PyManagerFacts {
  files: string[];
  pyproject?: string;
}

/** uv.lock first, then poetry.lock or `[tool.poetry]`, then requirements files; uv when nothing says otherwise. */
export function detectPyManager(f: PyManagerFacts): { manager: PyManager; why: string } {
  if (f.files.includes("uv.lock")) return { manager: "uv", why: "uv.lock" };
  if (f.files.includes("poetry.lock")) return { manager: "poetry", why: "poetry.lock" };
  if (/^\[tool\.poetry[\].]/m.test(f.pyproject ?? ""))
    return { manager: "poetry", why: "pyproject.toml [tool.poetry]" };
  const reqs = REQUIREMENTS_FILES.filter((r) => f.files.includes(r));
  if (reqs.length) return { manager: "pip", why: `${reqs.join(", ")} (installed with uv pip)` };
  return { manager: "uv", why: "no uv.lock, poetry.lock or requirements*.txt: the default" };
}

/**
 * The files a requirements file names with `-r`/`--requirement` or `-c`/`--constraint`, relative to the folder the
 * naming file is in (as pip and uv read them); URLs are left to the installer.
 */
export function requirementRefs(text: string): string[] {
  const refs: string[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(?:-r|-c|--requirement|--constraint)(?:\s*=\s*|\s+|(?=[^\s=-]))(\S+)/.exec(line);
    if (m && !/^[a-z+]+:\/\//i.test(m[1])) refs.push(m[1]);
  }
  return refs;
}

/**
 * Where `ref`, named in the requirements file `from`, is relative to the backend directory; undefined for a path
 * outside it (absolute, or above it with `..`), which the runners do not copy.
 */
export function includedPath(from: string, ref: string): string | undefined {
  if (ref.startsWith("/")) return undefined;
  const parts = [...from.split("/").slice(0, -1), ...ref.split("/")];
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") {
      if (!out.length) return undefined;
      out.pop();
    } else if (p && p !== ".") out.push(p);
  }
  return out.join("/");
}

/** The argv that runs Poetry at its pinned version: `uv tool run` (uvx), as only uv is linked into .tools/bin. */
export function poetryArgv(): string[] {
  return ["uv", "tool", "run", "--from", `poetry==${POETRY_VERSION}`, "poetry"];
}

/** Env Poetry needs to be repeatable in a job: the venv in the project, made from the interpreter uvx gives it. */
export const POETRY_ENV: Record<string, string> = {
  POETRY_VIRTUALENVS_IN_PROJECT: "true",
  // uvx runs Poetry on UV_PYTHON (the pinned version); the project's venv then uses that interpreter too.
  POETRY_VIRTUALENVS_USE_POETRY_PYTHON: "true",
  POETRY_NO_INTERACTION: "1",
};

/** The interpreter of the .venv `uv venv` makes for requirements files: they install into it, pytest runs on it. */
const PIP_VENV_PYTHON = ".venv/bin/python";

/** The install steps before the source arrives (dependencies, frozen to the lock) and after it (the root package). */
export function pyInstall(manager: PyManager, reqFiles: string[]): { deps: string[][]; root: string[][] } {
  if (manager === "poetry") {
    // `poetry install` refuses a poetry.lock that no longer matches pyproject.toml, so it is frozen already.
    return { deps: [[...poetryArgv(), "install", "--no-root"]], root: [[...poetryArgv(), "install", "--only-root"]] };
  }
  if (manager === "pip") {
    return {
      deps: [
        // --clear: a .venv left by the last run (or made by hand) is made again, as `uv sync` makes it exact.
        ["uv", "venv", "--clear"],
        // Named, as UV_PYTHON (the job's interpreter) would otherwise take `uv pip` to that interpreter's own
        // site-packages, leaving .venv empty: "No module named pytest".
        ["uv", "pip", "install", "--python", PIP_VENV_PYTHON, ...reqFiles.flatMap((r) => ["-r", r])],
      ],
      root: [],
    };
  }
  return { deps: [["uv", "sync", "--frozen"]], root: [] };
}

/** The command pytest runs under, before its own arguments. */
export function pyTest(manager: PyManager): string[] {
  if (manager === "poetry") return [...poetryArgv(), "run", "pytest"];
  if (manager === "pip") return [PIP_VENV_PYTHON, "-m", "pytest"];
  return ["uv", "run", "--frozen", "pytest"];
}

/** Files the dependency install reads, copied before the source (with the files the requirements include). */
export function pyManifests(manager: PyManager, reqFiles: string[], includes: string[] = []): string[] {
  if (manager === "poetry") return ["pyproject.toml", "poetry.lock"];
  if (manager === "pip") return [...reqFiles, ...includes.filter((f) => !reqFiles.includes(f))];
  return ["pyproject.toml", "uv.lock"];
}
