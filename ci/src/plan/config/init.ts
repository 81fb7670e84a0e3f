/**
 * `init`: guess a repository's pipeline.yaml from its files, and say why each guess was made.
 * Pure: the runners list the files (initListing) and read the ones initWanted names.
 */
import { parse as parseToml } from "smol-toml";
import { stringify } from "yaml";
import { InputError } from "../errors";
import { detectBackend, factPaths } from "./repoFacts";
import { BACKEND_MANAGER_FILES, frontendManagerName } from "./toolchains";
import { detectJsManager, type JsManager } from "../toolchain/javascript";
import { frontendSteps } from "./frontendSteps";
import { nodeImageMajor, nodePin } from "../toolchain/node";
import { detectPyManager, REQUIREMENTS_FILES } from "../toolchain/python";
import { printable } from "../triggers/commits";

/** A repository as init sees it: every path (relative, `/`-separated) and the text of the wanted ones. */
export interface InitInput {
  paths: string[];
  read: Record<string, string>;
  /** Where docs/pipeline.schema.json is, seen from the written file: editors load it through the first line. */
  schemaRef?: string;
}

/** One guess: the key it fills, the value, and why. */
export interface InitGuess {
  key: string;
  value: unknown;
  why: string;
}

export interface InitResult {
  guesses: InitGuess[];
  /** The commented pipeline.yaml text. */
  yaml: string;
}

/** Directories init never descends into. */
export const INIT_SKIP = ["node_modules", ".git", ".venv", ".next", "__pycache__", "dist", "build", "coverage"];

// A connection string's name: about Mongo or a database, and ending in URI/URL/DSN (not MONGODB_TIMEOUT_MS).
const MONGO_VAR = /(MONGO|DATABASE|DB).*(URI|URL|DSN)$/;

/** The files init reads, from the listing: manifests, version pins and the backend's Python sources. */
export function initWanted(paths: string[]): string[] {
  const manifests = /(^|\/)(package\.json|pyproject\.toml|\.python-version|\.nvmrc|\.node-version|yarn\.lock)$/;
  return paths.filter((p) => manifests.test(p) || isRequirements(p) || (p.endsWith(".py") && p.split("/").length <= 4));
}

function isRequirements(path: string): boolean {
  return requirementsDir(path) !== undefined;
}

/** The backend folder a requirements file belongs to (`api` for api/requirements/dev.txt), if it is one. */
function requirementsDir(path: string): string | undefined {
  const r = REQUIREMENTS_FILES.find((f) => path === f || path.endsWith(`/${f}`));
  return r === undefined ? undefined : path === r ? "." : path.slice(0, -r.length - 1);
}

/** A source with neither app half in it: an empty pipeline.yaml would only hide the wrong --source. */
export class InitFoundNothingError extends InputError {
  constructor(where: string) {
    super(
      `init found no app in ${where}: it looked for a package.json that depends on next (the frontend) and a ` +
        `pyproject.toml or requirements.txt (the backend), skipping ${INIT_SKIP.join(", ")}; ` +
        "point --source at the app's repository",
    );
  }
}

/**
 * Guess the layout, commands, Python version, test extras and Mongo variables; return them and the file. `where`
 * names the source in the error when it holds no app.
 */
export function planInit(input: InitInput, where = "the source"): InitResult {
  const guesses: InitGuess[] = [];
  const fe = frontendDir(input);
  const be = backendDir(input);
  if (!fe && !be) throw new InitFoundNothingError(where);
  if (fe) guesses.push(...frontendGuesses(fe, input));
  if (be) guesses.push(...backendGuesses(be, input));
  // A reason quotes the repository's file names and texts: one line each, in the file's comments and on the terminal,
  // so a name holding a line break cannot end its comment and write a key of its own (or escapes to the terminal).
  const said = guesses.map((g) => ({ ...g, why: printable(g.why) }));
  return { guesses: said, yaml: renderYaml(said, input.schemaRef) };
}

function dirOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
}

function frontendDir(input: InitInput): string | undefined {
  const pkgs = input.paths.filter((p) => p.endsWith("package.json") && input.read[p]);
  const next = pkgs.find((p) => /"next"\s*:/.test(input.read[p]));
  return next ? dirOf(next) : undefined;
}

/** The Python project: a pyproject.toml (FastAPI's first), else requirements files with no pyproject.toml. */
function backendDir(input: InitInput): string | undefined {
  const pick = (files: string[]) => files.find((p) => /fastapi/i.test(input.read[p])) ?? files[0];
  const pys = input.paths.filter((p) => p.endsWith("pyproject.toml") && input.read[p]);
  const reqs = input.paths.filter((p) => isRequirements(p) && input.read[p] !== undefined);
  const py = pick(pys);
  if (py) return dirOf(py);
  const req = pick(reqs);
  return req ? requirementsDir(req) : undefined;
}

function frontendGuesses(dir: string, input: InitInput): InitGuess[] {
  const pkgPath = dir === "." ? "package.json" : `${dir}/package.json`;
  const pkg = JSON.parse(input.read[pkgPath]) as Parameters<typeof frontendSteps>[1];
  const out: InitGuess[] = [{ key: "frontend.path", value: dir, why: `${pkgPath} depends on next` }];
  const at = (f: string) => (dir === "." ? f : `${dir}/${f}`);
  const locks = (["npm", "pnpm", "yarn"] as JsManager[]).filter((m) =>
    input.paths.includes(at({ npm: "package-lock.json", pnpm: "pnpm-lock.yaml", yarn: "yarn.lock" }[m])),
  );
  const pm = detectJsManager({
    packageJson: input.read[pkgPath],
    lockfiles: locks,
    yarnLock: input.read[at("yarn.lock")],
  });
  out.push({ key: "frontend.packageManager", value: frontendManagerName(pm.manager, pm.berry), why: pm.why });
  const steps = frontendSteps(pkgPath, pkg, pm.manager);
  out.push({ key: "frontend.steps", value: steps.steps, why: steps.why });
  const pin = nodePin({
    nvmrc: input.read[at(".nvmrc")],
    nodeVersionFile: input.read[at(".node-version")],
    packageJson: input.read[pkgPath],
  });
  const major = pin && nodeImageMajor(pin.range);
  // A manager's own minimum is read again at each run; written down, it would stand for the app's own pin.
  if (pin && major && !pin.floorOnly) out.push({ key: "frontend.nodeVersion", value: String(major), why: pin.why });
  return out;
}

function backendGuesses(dir: string, input: InitInput): InitGuess[] {
  const paths = factPaths(dir);
  const pyproject = input.read[paths.pyproject];
  const facts = detectBackend({ pythonVersionFile: input.read[paths.pythonVersionFile], pyproject });
  const files = BACKEND_MANAGER_FILES.filter((f) => input.paths.includes(dir === "." ? f : `${dir}/${f}`));
  const at = (f: string) => (dir === "." ? f : `${dir}/${f}`);
  const why =
    pyproject !== undefined
      ? `${paths.pyproject} is the Python project`
      : `${at(files.find((f) => REQUIREMENTS_FILES.includes(f)) ?? "requirements.txt")} lists its packages (no pyproject.toml)`;
  const out: InitGuess[] = [{ key: "backend.path", value: dir, why }];
  const pm = detectPyManager({ files, pyproject });
  out.push({ key: "backend.packageManager", value: pm.manager, why: pm.why });
  if (facts.pythonVersion) out.push({ key: "backend.pythonVersion", ...facts.pythonVersion });
  if (facts.extras.value.length) out.push({ key: "backend.extras", ...facts.extras });
  if (facts.groups.value.length) out.push({ key: "backend.groups", ...facts.groups });
  const cov = coverageSource(dir, input);
  if (cov) out.push({ key: "backend.coverageSource", ...cov });
  out.push(markerGuess(pyproject));
  const vars = mongoVariables(dir, input);
  if (vars.length) {
    const env = Object.fromEntries(vars.map((v) => [v.name, "mongodb://{host}:{port}/{database}"]));
    const why = vars.map((v) => `${v.name} (${v.file})`).join(", ");
    out.push({ key: "services.mongo.env", value: env, why: `the backend reads ${why}` });
  }
  return out;
}

function coverageSource(dir: string, input: InitInput): { value: string; why: string } | undefined {
  const prefix = dir === "." ? "" : `${dir}/`;
  const packages = input.paths
    .filter((p) => p.startsWith(prefix) && p.endsWith("/__init__.py"))
    .map((p) => p.slice(prefix.length).split("/"))
    // A src/ layout keeps the package one level down (src/<name>/__init__.py).
    .map((parts) => (parts[0] === "src" ? parts.slice(1) : parts))
    .filter((parts) => parts.length === 2 && !/^tests?$/.test(parts[0]))
    .map((parts) => parts[0]);
  const name = packages.includes("app") ? "app" : packages[0];
  const src = name && input.paths.includes(`${prefix}src/${name}/__init__.py`) ? "src/" : "";
  return name ? { value: name, why: `${prefix}${src}${name}/__init__.py is the package under test` } : undefined;
}

function markerGuess(pyproject: string | undefined): InitGuess {
  let markers: string[];
  try {
    const toml = parseToml(pyproject ?? "") as { tool?: { pytest?: { ini_options?: { markers?: string[] } } } };
    markers = toml.tool?.pytest?.ini_options?.markers ?? [];
  } catch {
    markers = [];
  }
  const e2e = markers.some((m) => /^e2e\b/.test(m));
  return {
    key: "backend.deselectMarkers",
    value: e2e ? ["e2e"] : [],
    why: e2e ? "pyproject.toml declares the pytest marker e2e" : "no e2e marker declared",
  };
}

function mongoVariables(dir: string, input: InitInput): { name: string; file: string }[] {
  const prefix = dir === "." ? "" : `${dir}/`;
  const seen = new Map<string, string>();
  const reads = [
    /os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]*)["']/g,
    /os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]/g,
    /os\.getenv\(\s*["']([A-Z][A-Z0-9_]*)["']/g,
  ];
  for (const path of input.paths.filter((p) => p.startsWith(prefix) && p.endsWith(".py"))) {
    const text = input.read[path] ?? "";
    for (const re of reads) {
      for (const m of text.matchAll(re)) if (MONGO_VAR.test(m[1]) && !seen.has(m[1])) seen.set(m[1], path);
    }
  }
  return [...seen].map(([name, file]) => ({ name, file }));
}

/** The guesses as a pipeline.yaml, each key preceded by a comment saying why. */
function renderYaml(guesses: InitGuess[], schemaRef: string | undefined): string {
  const lines = [
    ...(schemaRef ? [`# yaml-language-server: $schema=${schemaRef}`] : []),
    "# pipeline.yaml written by `init`; every key is optional and merges over the defaults.",
    "",
  ];
  const tree: Record<string, Record<string, unknown>> = {};
  const why: Record<string, string[]> = {};
  for (const g of guesses) {
    const [top, ...rest] = g.key.split(".");
    tree[top] ??= {};
    (why[top] ??= []).push(`${rest.join(".")}: ${g.why}`);
    setPath(tree[top], rest, g.value);
  }
  for (const [top, value] of Object.entries(tree)) {
    lines.push(...why[top].map((w) => `# ${w}`), stringify({ [top]: value }).trimEnd(), "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  const [head, ...rest] = path;
  if (!rest.length) {
    obj[head] = value;
    return;
  }
  obj[head] ??= {};
  setPath(obj[head] as Record<string, unknown>, rest, value);
}
