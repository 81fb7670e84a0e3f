/**
 * Which Node a frontend asks for, read from its own pins, and what each runner does about it: the Dagger runner picks
 * the `node:<major>` image, the host runner keeps its own Node when it is in range and otherwise provisions the
 * official binary (the npm registry's `node-linux-<arch>` package). Pure: the runners read the files and the registry.
 */
import { printable } from "../triggers/commits";
import { allowsMajor, maxSatisfying, parseRange, satisfies } from "./semver";

/** The frontend's files that can pin Node, as text (absent when the repository has none). */
export interface NodePinFiles {
  nvmrc?: string;
  nodeVersionFile?: string;
  packageJson?: string;
}

/** A semver range the frontend's Node must be in, and the file (and text) that said so. */
export interface NodePin {
  range: string;
  why: string;
  /** Only the manager's own minimum (from `packageManager`): it never takes the image below the default major. */
  floorOnly?: true;
}

/**
 * The oldest Node each package manager's major line runs on (its `engines.node` on the npm registry, e.g.
 * `npm view pnpm@10 engines`), for a repository that pins only `packageManager`.
 */
const MANAGER_NODE: Record<string, Record<number, string>> = {
  pnpm: { 8: ">=16.14", 9: ">=18.12", 10: ">=18.12" },
  yarn: { 1: ">=4", 2: ">=12", 3: ">=12", 4: ">=18.12" },
};

/**
 * The Node pin, first found of: `.nvmrc`, `.node-version` (as GitHub's setup-node reads them), `engines.node`,
 * then the range the `packageManager` line implies. Aliases (`lts/*`, `node`) and unknown text pin nothing.
 */
export function nodePin(files: NodePinFiles): NodePin | undefined {
  for (const [name, text] of [
    [".nvmrc", files.nvmrc],
    [".node-version", files.nodeVersionFile],
  ] as const) {
    const line = text?.split("\n")[0].trim();
    if (line && /^v?\d/.test(line) && parseRange(line))
      return { range: line.replace(/^v/, ""), why: `${name} says ${line}` };
  }
  const pkg = parsePackageJson(files.packageJson);
  const engines = typeof pkg.engines?.node === "string" ? pkg.engines.node.trim() : undefined;
  if (engines && parseRange(engines)) return { range: engines, why: `package.json engines.node "${engines}"` };
  const m = /^(pnpm|yarn)@(\d+)/.exec(pkg.packageManager ?? "");
  const implied = m && MANAGER_NODE[m[1]][Number(m[2])];
  return implied
    ? {
        range: implied,
        why: `package.json packageManager ${managerSpec(pkg.packageManager ?? "")} needs Node ${implied}`,
        floorOnly: true,
      }
    : undefined;
}

/** What corepack runs: a manager and its exact version, with the optional hash it checks (`pnpm@10.12.1+sha512.…`). */
const MANAGER_SPEC = /^(npm|pnpm|yarn)@\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+(sha1|sha224|sha256|sha512)\.[0-9a-f]+)?$/;

/** A package.json pin this pipeline cannot use, by key: the problem and its fix; undefined when both are usable. */
export function pinProblem(packageJson: string | undefined): { key: string; problem: string; fix: string } | undefined {
  const pkg = parsePackageJson(packageJson) as { packageManager?: unknown; engines?: { node?: unknown } };
  const field = pkg.packageManager;
  // Other managers (bun@…) are not corepack's: the lockfile decides, as with no field.
  const ours = typeof field === "string" && /^(npm|pnpm|yarn)@/.test(field);
  if (field !== undefined && (typeof field !== "string" || (ours && !MANAGER_SPEC.test(field))))
    return {
      key: "packageManager",
      problem: `${printable(JSON.stringify(typeof field === "string" ? managerSpec(field) : field) ?? "")} is not a manager and its exact version`,
      fix: 'pin one, like "pnpm@10.12.1" or "yarn@4.9.2" (corepack use pnpm@10 writes it), as corepack refuses anything else',
    };
  const node = pkg.engines?.node;
  if (node !== undefined && typeof node !== "string")
    return {
      key: "engines.node",
      problem: `must be a version range, not ${printable(JSON.stringify(node) ?? "")}`,
      fix: 'write it like "engines": { "node": ">=20" }',
    };
  return undefined;
}

/** A `packageManager` value as messages show it: the hash corepack checks named, not its 128 hex digits. */
export function managerSpec(field: string): string {
  return field.replace(/\+(sha\d+)\.[0-9a-f]+$/i, " (+$1 hash)");
}

interface PackageJsonPins {
  engines?: { node?: string };
  packageManager?: string;
}

/** package.json's pin fields; a file that does not parse pins nothing (npm itself fails loudly on it later). */
export function parsePackageJson(text: string | undefined): PackageJsonPins {
  try {
    const pkg = JSON.parse(text ?? "{}") as unknown;
    return typeof pkg === "object" && pkg !== null ? (pkg as PackageJsonPins) : {};
  } catch {
    return {};
  }
}

/** The Node majors `node:<major>-bookworm-slim` is published for that this pipeline picks from, oldest first. */
export const NODE_IMAGE_MAJORS = [18, 20, 22, 24] as const;

/**
 * The image's major for a range: the oldest published major in it, the one the pin promises to support (`>=20` keeps
 * node:20, as the host keeps its own Node 20). `atLeast` skips older majors when a newer one is in range (a package
 * manager's minimum, `>=4` for yarn 1, says nothing about the app: it keeps the default major).
 */
export function nodeImageMajor(range: string, atLeast = 0): number | undefined {
  const inRange = NODE_IMAGE_MAJORS.filter((m) => allowsMajor(range, m));
  return inRange.find((m) => m >= atLeast) ?? inRange[0];
}

/** What the host runner does for a pin: keep its own Node, or provision a version from the registry's list. */
export type NodeChoice =
  | { kind: "host"; version: string; why: string }
  | { kind: "provision"; version: string; why: string }
  | { kind: "none"; why: string };

/**
 * Keep the host's Node when it is in range; else the newest of `cached` in range (no download), else the newest of
 * the registry's `available` versions in range.
 */
export function chooseNode(pin: NodePin, host: string, cached: string[], available: string[]): NodeChoice {
  const plain = host.replace(/^v/, "").trim();
  if (satisfies(plain, pin.range))
    return { kind: "host", version: plain, why: `${pin.why}; this machine's node ${plain} is in range` };
  const version = maxSatisfying(cached, pin.range) ?? maxSatisfying(available, pin.range);
  if (!version) {
    return {
      kind: "none",
      why: `${pin.why}, but neither this machine's node ${plain} nor any published node is in range`,
    };
  }
  return { kind: "provision", version, why: `${pin.why}; this machine has node ${plain}` };
}

/** The npm registry package that ships the official Node binary for a platform and CPU, or undefined. */
export function nodeBinaryPackage(platform: string, arch: string): string | undefined {
  const archs: Record<string, string> = { x64: "x64", arm64: "arm64" };
  return platform === "linux" && archs[arch] ? `node-linux-${archs[arch]}` : undefined;
}
