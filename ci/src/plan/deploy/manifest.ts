/**
 * A release's manifest: every file and link in releases/<id> (its bytes' sha256, its mode, a link's target), written
 * as canonical text whose sha256 is the release's digest. A deploy records it just before it points `current` at the
 * release; every later switch to that release (a rollback, by hand or automatic) lists the dir again and refuses when
 * it differs, so a release edited on the server is never made live silently. Pure: the listing comes from the server
 * (scripts/deploy/manifest.ts), the hash from node:crypto there.
 */
import type { ReleaseLogEntry } from "./releaseLog";

/** One entry of a release dir: a regular file, a symlink, or anything else (a FIFO, a socket: never hashed). */
export type ManifestEntry =
  | { path: string; kind: "file"; mode: string; sha256: string }
  | { path: string; kind: "link"; target: string }
  | { path: string; kind: "other"; type: string };

/**
 * Paths the manifest leaves out, as `find` patterns: what the running apps write on their own (Python's bytecode,
 * Next's image and fetch cache, and the route cache its standalone server writes under .next/server as pages are
 * served). Everything else in the release dir counts.
 */
export const MANIFEST_PRUNE = {
  names: ["__pycache__"],
  paths: ["frontend/.next/cache", "frontend/.next/server/route-cache"],
} as const;

const HASH = /^([0-9a-f]{64}) {2}\.\/(.*)$/s;

/**
 * Parse the NUL-separated listing the server prints (scripts/deploy/manifest.ts, MANIFEST_LISTING): `F<mode> <path>`,
 * `L<path>` then its target, `O<type> <path>`, then `<sha256>  ./<path>` for each file. A file whose hash is missing
 * (it vanished between the two passes) gets the hash "missing", so it never matches a recorded one.
 */
export function parseManifestListing(raw: string): ManifestEntry[] {
  const records = raw.split("\0");
  if (records.at(-1) === "") records.pop();
  const files = new Map<string, string>();
  const hashes = new Map<string, string>();
  const out: ManifestEntry[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const hash = HASH.exec(r);
    if (hash) hashes.set(hash[2], hash[1]);
    else if (r.startsWith("F")) {
      const sp = r.indexOf(" ");
      files.set(r.slice(sp + 1), r.slice(1, sp));
    } else if (r.startsWith("L")) out.push({ path: r.slice(1), kind: "link", target: records[++i] ?? "" });
    else if (r.startsWith("O")) {
      const sp = r.indexOf(" ");
      out.push({ path: r.slice(sp + 1), kind: "other", type: r.slice(1, sp) });
    } else throw new Error(`not a manifest listing record: ${JSON.stringify(r.slice(0, 80))}`);
  }
  for (const [path, mode] of files) out.push({ path, kind: "file", mode, sha256: hashes.get(path) ?? "missing" });
  return sortEntries(out);
}

function sortEntries(entries: ManifestEntry[]): ManifestEntry[] {
  return [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function entryFields(e: ManifestEntry): string[] {
  if (e.kind === "file") return [e.path, "f", e.mode, e.sha256];
  if (e.kind === "link") return [e.path, "l", e.target];
  return [e.path, "o", e.type];
}

/** The canonical text: one JSON array per entry, sorted by path. Its sha256 is the release's digest. */
export function formatManifest(entries: ManifestEntry[]): string {
  return sortEntries(entries)
    .map((e) => `${JSON.stringify(entryFields(e))}\n`)
    .join("");
}

/** Read canonical text back (a line that is not an entry is skipped: the diff then names its path as changed). */
export function parseManifest(text: string): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    let f: unknown;
    try {
      f = JSON.parse(line);
    } catch {
      continue;
    }
    if (!Array.isArray(f) || !f.every((x) => typeof x === "string")) continue;
    const [path, kind, a, b] = f as string[];
    if (kind === "f" && f.length === 4) out.push({ path, kind: "file", mode: a, sha256: b });
    else if (kind === "l" && f.length === 3) out.push({ path, kind: "link", target: a });
    else if (kind === "o" && f.length === 3) out.push({ path, kind: "other", type: a });
  }
  return sortEntries(out);
}

/** What differs between the manifest a deploy recorded and the dir as it is now. */
export interface ManifestDiff {
  changed: string[];
  removed: string[];
  added: string[];
}

/** Compare the recorded manifest with the present one, path by path. */
export function diffManifests(recorded: ManifestEntry[], present: ManifestEntry[]): ManifestDiff {
  const key = (e: ManifestEntry) => JSON.stringify(entryFields(e));
  const was = new Map(recorded.map((e) => [e.path, key(e)]));
  const now = new Map(present.map((e) => [e.path, key(e)]));
  return {
    changed: [...now].filter(([p, k]) => was.has(p) && was.get(p) !== k).map(([p]) => p),
    removed: [...was.keys()].filter((p) => !now.has(p)),
    added: [...now.keys()].filter((p) => !was.has(p)),
  };
}

/** True when nothing differs. */
export function isSameManifest(d: ManifestDiff): boolean {
  return !d.changed.length && !d.removed.length && !d.added.length;
}

/** "changed backend/app/main.py; removed frontend/server.js", at most `limit` paths per kind, each JSON-quoted. */
export function formatManifestDiff(d: ManifestDiff, limit = 5): string {
  const part = (what: string, paths: string[]) =>
    paths.length
      ? `${what} ${paths
          .slice(0, limit)
          .map((p) => JSON.stringify(p))
          .join(", ")}${paths.length > limit ? ` and ${paths.length - limit} more` : ""}`
      : "";
  return [part("changed", d.changed), part("removed", d.removed), part("added", d.added)].filter(Boolean).join("; ");
}

/** A digest as the release log keeps it: `sha256:` and 64 hex digits. */
export const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The digest the release log recorded for a release when it was made live (the newest one), if any. */
export function recordedDigest(log: ReleaseLogEntry[], id: string): string | undefined {
  return log.filter((e) => e.id === id && typeof e.digest === "string" && DIGEST.test(e.digest)).at(-1)?.digest;
}

/**
 * Whether the log shows that `id` should have a recorded digest but has none: its first line comes after a line that
 * carries a digest, so it was logged once deploys recorded manifests, and every release made live since records one
 * at its switch. Such a release's log lines were written by hand (a forged `healthy`). Releases logged before any
 * digest (deployed before manifests were) are not. Pure.
 */
export function digestMissing(log: ReleaseLogEntry[], id: string): boolean {
  if (recordedDigest(log, id)) return false;
  const firstDigest = log.findIndex((e) => typeof e.digest === "string" && DIGEST.test(e.digest));
  const first = log.findIndex((e) => e.id === id);
  return firstDigest >= 0 && first > firstDigest;
}
