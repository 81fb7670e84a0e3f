/**
 * Promotion by artifact: production gets the bytes staging ran, not a rebuild. Fetch staging's release (or take the
 * tree the Dagger module fetched), keep only what its MANIFEST lists, and refuse (exit 2, with the fix) unless the
 * manifest's digest is the one E2E recorded green and every listed file still hashes as listed.
 */
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { $ } from "zx";
import {
  artifactFetchArgv,
  ArtifactMismatchError,
  checkArtifactDigest,
  checkArtifactTree,
  checkPromotedCommit,
  manifestDifferences,
  MANIFEST_FILE,
  parseManifest,
  promotedArtifactOf,
  UPLOAD_EXCLUDES,
  type PromotedArtifact,
} from "../../ci/src/plan/deploy/artifact";
import type { PromotionRecord } from "../../ci/src/plan/deploy/promotion";
import { StageFailure } from "../../ci/src/plan/errors";
import { sshRemote } from "../deploy/remote";
import { manifestDigest, treeManifest } from "./artifact";
import type { TargetSettings } from "./target";

export interface PromoteInputs {
  record: PromotionRecord;
  /** A tree already fetched from staging's release (the Dagger module's, or --artifact); else fetched here. */
  fetched?: string;
  /** Staging's settings, to fetch the release over ssh with its pinned key. */
  staging?: () => TargetSettings;
  /** Where the promoted artifact is assembled (emptied first). */
  out: string;
  log: (s: string) => void;
  signal?: AbortSignal;
}

/** Fetch, check and assemble the artifact E2E recorded green; returns its directory. Throws before any deploy task. */
export async function promoteArtifact(i: PromoteInputs): Promise<string> {
  const p = promotedArtifactOf(i.record);
  const raw = i.fetched ?? (await fetchRelease(i, p));
  const manifestFile = join(raw, MANIFEST_FILE);
  if (!existsSync(manifestFile))
    throw new ArtifactMismatchError(
      `deploy-production refused: staging's release ${p.release} has no ${MANIFEST_FILE}. Fix: deploy-staging --commit ${i.record.commit} and re-run E2E, or pass --force-reason "..."`,
    );
  const manifest = readFileSync(manifestFile, "utf8");
  checkArtifactDigest(manifestDigest(manifest), p, i.record.commit);
  const entries = parseManifest(manifest);
  const only = new Set(entries.map((e) => e.path));
  checkArtifactTree(manifestDifferences(manifest, treeManifest(raw, only)), p, i.record.commit);
  const revision = entries.some((e) => e.path === "REVISION" && e.kind === "file")
    ? head(join(raw, "REVISION"), 256)
    : undefined;
  checkPromotedCommit(p, revision, i.record.commit);
  assemble(raw, manifest, i.out);
  // The copy is checked too: what goes to production is exactly what the record names.
  checkArtifactTree(manifestDifferences(manifest, treeManifest(i.out)), p, i.record.commit);
  i.log(`artifact: promoting staging's release ${p.release} (${p.artifact}, ${only.size} files), not a rebuild`);
  return i.out;
}

/** rsync staging's releases/<id>/ into `<out>.staging`; a release retention removed is refused with the fix. */
async function fetchRelease(i: PromoteInputs, p: PromotedArtifact): Promise<string> {
  if (!i.staging)
    throw new ArtifactMismatchError(
      "deploy-production needs staging's settings (STAGING_SSH_HOST, STAGING_SSH_KEY, ...) to fetch the tested release. Fix: set them, or pass --force-reason",
    );
  const s = i.staging();
  const dest = `${i.out}.staging`;
  try {
    mkdirSync(dest, { recursive: true });
    const knownHostsFile = s.knownHostsFile;
    const argv = artifactFetchArgv(s.target, p.release, { keyFile: s.keyFile, knownHostsFile }, dest, UPLOAD_EXCLUDES);
    i.log(`artifact: fetching ${p.release} from staging (${s.target.user}@${s.target.host}:${s.target.basePath})`);
    const r = await $({ quiet: true, nothrow: true, signal: i.signal })`${argv}`;
    if (r.exitCode === 0) return dest;
    // rsync's own line names the release's path; ssh's "Identity file … not accessible: No such file or directory"
    // (a key copy gone) is a connection problem, said below.
    if (r.stderr.split("\n").some((l) => l.includes(p.release) && /No such file or directory/.test(l)))
      throw new ArtifactMismatchError(
        `deploy-production refused: staging no longer holds release ${p.release} (retention removed it, or it was rolled back and cleaned up). Fix: deploy-staging --commit ${i.record.commit} and re-run E2E, or pass --force-reason "..."`,
      );
    throw new StageFailure(
      `fetching release ${p.release} from staging failed (rsync exit ${r.exitCode}): ${r.stderr.trim().split("\n").slice(-3).join(" ")}. Check the connection: ${sshRemote({ ...s.target, keyFile: s.keyFile, knownHostsFile, typed: s.typed }).typed("true")}`,
    );
  } finally {
    s.dispose();
  }
}

/** Copy exactly the manifest's entries (files with their mode, symlinks as links) and the manifest into `out`. */
function assemble(raw: string, manifest: string, out: string): void {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const e of parseManifest(manifest)) {
    const to = join(out, e.path);
    mkdirSync(dirname(to), { recursive: true });
    if (e.kind === "link") symlinkSync(e.target, to);
    else {
      copyFileSync(join(raw, e.path), to);
      chmodSync(to, parseInt(e.mode, 8));
    }
  }
  copyFileSync(join(raw, MANIFEST_FILE), join(out, MANIFEST_FILE));
}

/** The first `max` bytes of a regular file the manifest lists (checked above), never following a link. */
function head(file: string, max: number): string {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const buf = Buffer.alloc(max);
    return buf.subarray(0, readSync(fd, buf, 0, max, 0)).toString("utf8");
  } finally {
    closeSync(fd);
  }
}
