/**
 * The version a frontend's lockfile installs for one of its direct dependencies, in each manager's format:
 * package-lock.json (npm, JSON), pnpm-lock.yaml (YAML), yarn.lock (berry: YAML; classic: yarn's own v1 format, which
 * is not YAML). Pure: the runners read the file.
 */
import { parse } from "yaml";
import type { JsManager } from "./javascript";

/** yaml's unique-key check compares each key with every earlier one: seconds on a long lockfile, which has none. */
const FAST = { uniqueKeys: false } as const;

/** One resolution a yarn.lock records: the descriptors (`name@range`) it satisfies and the version installed. */
interface YarnEntry {
  descriptors: { name: string; range: string }[];
  version: string;
}

/**
 * The installed version of `name` from `manager`'s lockfile text; `range` is package.json's specifier, which picks the
 * entry when a yarn.lock holds several. Undefined when the lockfile does not say (or says two things).
 */
export function lockedVersion(manager: JsManager, lock: string, name: string, range?: string): string | undefined {
  if (manager === "npm") return npmLocked(lock, name);
  if (manager === "pnpm") return pnpmLocked(lock, name);
  const entries = /^__metadata:/m.test(lock) ? berryEntries(lock) : classicEntries(lock);
  return pickYarnEntry(entries, name, range);
}

function npmLocked(lock: string, name: string): string | undefined {
  const doc = JSON.parse(lock) as {
    packages?: Record<string, { version?: string }>;
    dependencies?: Record<string, { version?: string }>;
  };
  // lockfileVersion 2 and 3 list `packages`; version 1 only `dependencies`.
  return exact(doc.packages?.[`node_modules/${name}`]?.version ?? doc.dependencies?.[name]?.version);
}

type PnpmDeps = Record<string, string | { version?: string }>;
type PnpmImporter = Partial<Record<"dependencies" | "devDependencies" | "optionalDependencies", PnpmDeps>>;

function pnpmLocked(lock: string, name: string): string | undefined {
  const doc = (parse(lock, FAST) ?? {}) as PnpmImporter & { importers?: Record<string, PnpmImporter> };
  // lockfile v6+ keep the root project under importers["."] ({specifier, version}); v5 at the top (a version string).
  const root = doc.importers?.["."] ?? doc;
  for (const group of ["devDependencies", "dependencies", "optionalDependencies"] as const) {
    const entry = root[group]?.[name];
    const version = typeof entry === "string" ? entry : entry?.version;
    // `1.65.1(react@19.3.1)` (v9) or `1.40.0_react@18.2.0` (v5): the peers resolved follow the version.
    if (version) return exact(version.replace(/[(_].*$/, ""));
  }
  return undefined;
}

/** Berry's yarn.lock is YAML: each key lists descriptors (`"@playwright/test@npm:1.65.1"`), with `version:`. */
function berryEntries(lock: string): YarnEntry[] {
  const doc = (parse(lock, FAST) ?? {}) as Record<string, { version?: unknown }>;
  return Object.entries(doc)
    .filter(([key, value]) => key !== "__metadata" && value?.version !== undefined)
    .map(([key, value]) => ({ descriptors: descriptorsOf(key), version: String(value.version) }));
}

/** Classic's v1 lockfile: an unindented line of descriptors ending in `:`, then indented `version "x"`. */
function classicEntries(lock: string): YarnEntry[] {
  const entries: YarnEntry[] = [];
  let current: YarnEntry | undefined;
  for (const line of lock.split("\n")) {
    if (/^[^\s#].*:$/.test(line)) {
      current = { descriptors: descriptorsOf(line.slice(0, -1)), version: "" };
      entries.push(current);
      continue;
    }
    const m = /^ {2}version "?([^"\s]+)"?$/.exec(line);
    if (m && current) current.version = m[1];
  }
  return entries.filter((e) => e.version);
}

/** `"a@^1", a@1.2.3` → [{a, ^1}, {a, 1.2.3}]; a scoped name keeps its leading `@`. */
function descriptorsOf(key: string): { name: string; range: string }[] {
  return key.split(",").map((d) => {
    const s = d.trim().replace(/^"|"$/g, "");
    const at = s.indexOf("@", 1);
    return at < 0 ? { name: s, range: "" } : { name: s.slice(0, at), range: s.slice(at + 1) };
  });
}

/** The entry package.json's range resolved to (berry prefixes `npm:`), else the only version of `name`. */
function pickYarnEntry(entries: YarnEntry[], name: string, range?: string): string | undefined {
  const mine = entries.filter((e) => e.descriptors.some((d) => d.name === name));
  const wanted = range
    ? mine.find((e) => e.descriptors.some((d) => d.name === name && (d.range === range || d.range === `npm:${range}`)))
    : undefined;
  if (wanted) return exact(wanted.version);
  const versions = [...new Set(mine.map((e) => e.version))];
  return versions.length === 1 ? exact(versions[0]) : undefined;
}

function exact(version: string | undefined): string | undefined {
  return version && /^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version) ? version : undefined;
}
