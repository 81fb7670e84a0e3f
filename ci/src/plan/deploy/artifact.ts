/**
 * The release as an artifact: built once (deploy-staging), named by the digest of a canonical manifest of its tree,
 * and promoted to production byte for byte. The manifest is `MANIFEST` at the release's root: one line per shipped
 * file or symlink, sorted by path; the digest is `sha256:` + the sha256 of that text. The server installs into a
 * release (backend/.venv, __pycache__, the env link), so only the manifest's entries are the artifact. Pure: hashing
 * and file walking are the runners' (scripts/host/artifact.ts).
 */
import { InputError } from "../errors";
import { printable } from "../triggers/commits";
import { isReleaseId } from "./releaseId";
import type { PromotionRecord } from "./promotion";
import type { DeployTarget } from "./stage";
import { pinnedSshArgv, type PinnedSsh } from "./ssh";
import { shellQuote } from "../shellQuote";

/** The manifest's file name at the release's root (it lists every other file, never itself). */
export const MANIFEST_FILE = "MANIFEST";

/** Paths never shipped: VCS, dev installs and caches (the seed's excludes); the upload and the manifest skip them. */
export const UPLOAD_EXCLUDES = [
  ".git",
  ".venv",
  "__pycache__",
  "*.pyc",
  ".pytest_cache",
  ".next/cache",
  ".env",
  ".env.*",
  "coverage",
];

/** Where the Dagger runner's fetch container puts staging's release. */
export const FETCHED_RELEASE = "/fetched";

/** One shipped entry: a regular file (permission bits in octal, content sha256) or a symlink (its target). */
export type ManifestEntry =
  { path: string; kind: "file"; mode: string; sha256: string } | { path: string; kind: "link"; target: string };

/** A promotion whose artifact is not the one E2E recorded green: nothing was changed on production. Exit 2. */
export class ArtifactMismatchError extends InputError {}

const byPath = (a: ManifestEntry, b: ManifestEntry): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The canonical manifest text: sorted by path (code units), one line per entry, paths JSON-quoted. */
export function formatManifest(entries: ManifestEntry[]): string {
  return [...entries]
    .sort(byPath)
    .map((e) =>
      e.kind === "file"
        ? `F ${e.mode} ${e.sha256} ${JSON.stringify(e.path)}\n`
        : `L ${JSON.stringify(e.target)} ${JSON.stringify(e.path)}\n`,
    )
    .join("");
}

/** Read a manifest back; a malformed line throws ArtifactMismatchError naming it. */
export function parseManifest(text: string): ManifestEntry[] {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((line, i) => {
      const f = /^F ([0-7]{3,4}) ([0-9a-f]{64}) ("(?:[^"\\]|\\.)*")$/.exec(line);
      if (f) return { kind: "file", mode: f[1], sha256: f[2], path: safePath(JSON.parse(f[3]) as string, i) };
      const l = /^L ("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*")$/.exec(line);
      if (l) return { kind: "link", target: JSON.parse(l[1]) as string, path: safePath(JSON.parse(l[2]) as string, i) };
      throw new ArtifactMismatchError(
        `${MANIFEST_FILE} line ${i + 1} is malformed. Fix: rebuild and redeploy staging (deploy-staging), then re-run E2E`,
      );
    });
}

function safePath(p: string, i: number): string {
  if (p === "" || p.startsWith("/") || p.split("/").some((s) => s === ".." || s === "." || s === ""))
    throw new ArtifactMismatchError(
      `${MANIFEST_FILE} line ${i + 1} names ${JSON.stringify(p)}, not a path inside the release. Fix: rebuild and redeploy staging`,
    );
  return p;
}

/** The paths whose entries differ between two manifests (missing, extra or changed), sorted. */
export function manifestDifferences(expected: string, actual: string): string[] {
  const line = (t: string) => new Map(parseManifest(t).map((e) => [e.path, formatManifest([e])]));
  const [a, b] = [line(expected), line(actual)];
  return [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();
}

const globPart = (g: string): RegExp =>
  new RegExp(
    `^${g
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, "[^/]*")
      .replace(/\?/g, "[^/]")}$`,
  );

/**
 * Whether rsync, given these `--exclude` patterns (no leading slash), would ship `rel`: a pattern matches the trailing
 * path components of the path or of any folder above it, as rsync's unanchored patterns do.
 */
export function isShipped(rel: string, excludes: readonly string[]): boolean {
  const parts = rel.split("/");
  return !excludes.some((pattern) => {
    const pat = pattern.split("/").map(globPart);
    for (let end = pat.length; end <= parts.length; end++) {
      const tail = parts.slice(end - pat.length, end);
      if (pat.every((re, i) => re.test(tail[i]))) return true;
    }
    return false;
  });
}

/** What production promotes: the release E2E tested on staging and its artifact's digest, from a green record. */
export interface PromotedArtifact {
  release: string;
  artifact: string;
}

/** The release and digest a green record names; a record without them refuses the promotion (exit 2, the fix). */
export function promotedArtifactOf(record: PromotionRecord): PromotedArtifact {
  const { release, artifact, commit } = record;
  if (!release || !isReleaseId(release) || !artifact || !/^sha256:[0-9a-f]{64}$/.test(artifact))
    throw new ArtifactMismatchError(
      `deploy-production refused: the E2E record for ${commit} names no staging release and artifact digest (staging ran no release of it with a ${MANIFEST_FILE} when E2E wrote it), so there are no tested bytes to promote. Fix: deploy-staging --commit ${commit}, re-run E2E on staging, then deploy-production; or pass --force-reason "..." to rebuild from the commit`,
    );
  return { release, artifact };
}

/** A fetched artifact whose manifest digest is not the record's: refused before anything reaches production. */
export function checkArtifactDigest(digest: string, p: PromotedArtifact, commit: string): void {
  if (digest !== p.artifact)
    throw new ArtifactMismatchError(
      `deploy-production refused: staging's release ${p.release} has artifact ${digest}, but E2E recorded ${p.artifact} for ${commit}; staging's release changed after it was tested. Fix: deploy-staging --commit ${commit} and re-run E2E, or pass --force-reason "..."`,
    );
}

/** A fetched tree whose files are not what its manifest lists: refused, naming the first paths that differ. */
export function checkArtifactTree(differences: string[], p: PromotedArtifact, commit: string): void {
  if (differences.length === 0) return;
  const shown = differences.slice(0, 3).join(", ") + (differences.length > 3 ? `, … (${differences.length})` : "");
  throw new ArtifactMismatchError(
    `deploy-production refused: staging's release ${p.release} no longer holds the bytes its ${MANIFEST_FILE} lists (${shown}). Fix: deploy-staging --commit ${commit} and re-run E2E, or pass --force-reason "..."`,
  );
}

/**
 * The promoted release must be of the record's commit: its id ends with the commit's short sha, and its REVISION (a
 * file the manifest lists, so covered by the digest; absent in releases built before it) names that commit. Else a
 * record of one commit could name another commit's release on staging (a hand edit, a key that writes records) and
 * production would run those bytes logged as the recorded commit; the Dagger path's --artifact check refused that.
 */
export function checkPromotedCommit(p: PromotedArtifact, revision: string | undefined, commit: string): void {
  const built = revision?.trim().slice(0, 200);
  const idOk = commit.startsWith(p.release.slice(p.release.indexOf("-") + 1));
  const revisionOk =
    built === undefined || built === commit || (/^[0-9a-f]{7,40}$/.test(built) && commit.startsWith(built));
  if (idOk && revisionOk) return;
  const why = revisionOk ? "" : ` (its REVISION says ${printable(built!)})`;
  throw new ArtifactMismatchError(
    `deploy-production refused: the E2E record for ${commit} names staging's release ${p.release}, which is not a release of that commit${why}. Fix: deploy-staging --commit ${commit}, re-run E2E on staging, then deploy-production`,
  );
}

/**
 * rsync staging's `releases/<id>/` (what the upload ships, no server installs) into `dest`, ssh pinned to staging's
 * known_hosts; `--delete` so a re-run leaves no stray file; `--no-D`, so a device node or FIFO on staging is never
 * made here.
 */
export function artifactFetchArgv(
  t: DeployTarget,
  release: string,
  ssh: Omit<PinnedSsh, "port">,
  dest: string,
  excludes: readonly string[],
): string[] {
  if (!isReleaseId(release)) throw new ArtifactMismatchError(`"${release}" is not a release id`);
  const shell = pinnedSshArgv({ ...ssh, port: t.port })
    .map(shellQuote)
    .join(" ");
  return [
    "rsync",
    "-a",
    "--no-D",
    "--delete",
    ...excludes.map((e) => `--exclude=${e}`),
    "--exclude=/env",
    "-e",
    shell,
    `${t.user}@${t.host}:${t.basePath}/releases/${release}/`,
    `${dest.replace(/\/$/, "")}/`,
  ];
}
