/**
 * Release manifests on the server (pure parts in ci/src/plan/deploy/manifest.ts): list a release dir with its files'
 * sha256 in one round trip, record the manifest and its digest when a deploy makes the release live, and check it
 * again before any rollback makes it live later, so a release edited on the server is refused, not served.
 */
import { createHash } from "node:crypto";
import {
  diffManifests,
  digestMissing,
  formatManifest,
  formatManifestDiff,
  isSameManifest,
  MANIFEST_PRUNE,
  parseManifest,
  parseManifestListing,
  recordedDigest,
  type ManifestEntry,
} from "../../ci/src/plan/deploy/manifest";
import { deployCommand, listCommand, rollbackCommand } from "../../ci/src/plan/deploy/nextCommand";
import type { ReleaseLogEntry } from "../../ci/src/plan/deploy/releaseLog";
import { StageFailure } from "../../ci/src/plan/errors";
import { appendLog, sh, type DeployContext } from "./context";
import type { Remote } from "./remote";

const PRUNE = `\\( ${[...MANIFEST_PRUNE.names.map((n) => `-name ${n}`), ...MANIFEST_PRUNE.paths.map((p) => `-path ./${p}`)].join(" -o ")} \\) -prune`;

/**
 * The bash that lists dir $1 (relative to the shell's folder, or absolute) for parseManifestListing: each entry with
 * its mode or link target, then every regular file's sha256 (`sha256sum -z`: no escaping, any byte but NUL in a
 * name). A FIFO or socket is listed, never opened.
 */
export const MANIFEST_LISTING = `dir=$1
if [ -L "$dir" ] || [ ! -d "$dir" ]; then echo "$dir is not a release dir" >&2; exit 6; fi
cd -- "$dir"
find . ${PRUNE} -o -type d -o -type f -printf 'F%m %P\\0' -o -type l -printf 'L%P\\0%l\\0' -o -printf 'O%y %P\\0'
find . ${PRUNE} -o -type f -print0 | xargs -0 -r sha256sum -z --`;

/** A manifest's digest: `sha256:` and the hex sha256 of its canonical text. */
export function manifestDigest(text: string): string {
  return `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;
}

/** A dir's manifest: its entries, canonical text and digest. */
export interface Manifest {
  entries: ManifestEntry[];
  text: string;
  digest: string;
}

function manifestOf(entries: ManifestEntry[]): Manifest {
  const text = formatManifest(entries);
  return { entries, text, digest: manifestDigest(text) };
}

/**
 * The manifest of any dir a Remote can reach: an absolute path on the server, or a local one with localRemote() (a
 * built artifact before upload, whose digest the same listing gives).
 */
export async function readDirManifest(remote: Remote, dir: string): Promise<Manifest> {
  const r = await remote.run(`set -euo pipefail\n${MANIFEST_LISTING}`, [dir]);
  if (r.code !== 0) throw new StageFailure(`could not list ${dir} on ${remote.where}: ${r.stderr.trim()}`);
  return manifestOf(parseManifestListing(r.stdout));
}

/** The manifest of releases/<id> as it is now, and the one recorded for it (empty when none was). */
async function readReleaseManifests(ctx: DeployContext, id: string): Promise<{ now: Manifest; recorded: string }> {
  const out = await sh(
    ctx,
    "manifest",
    `(\n${MANIFEST_LISTING.replace("dir=$1", 'dir="releases/$1"')}\n)\nprintf '\\0@@manifest@@\\0'; f=".dep/manifests/$1"; if [ -f "$f" ]; then cat "$f" 2>/dev/null; fi; true`,
    [id],
  );
  const at = out.lastIndexOf("\0@@manifest@@\0");
  return { now: manifestOf(parseManifestListing(out.slice(0, at))), recorded: out.slice(at + 14) };
}

/**
 * Record releases/<id>'s manifest (`.dep/manifests/<id>`) and its digest (a release log line), just before the release
 * is made live for the first time. Returns the digest.
 */
export async function recordManifest(ctx: DeployContext, id: string): Promise<string> {
  const { now } = await readReleaseManifests(ctx, id);
  await sh(
    ctx,
    "manifest",
    'mkdir -p .dep/manifests && cat > ".dep/manifests/.$1.tmp" && mv -f ".dep/manifests/.$1.tmp" ".dep/manifests/$1"',
    [id],
    now.text,
  );
  await appendLog(ctx, id, "started", {
    digest: now.digest,
    reason: `manifest recorded: ${now.entries.length} entries`,
  });
  return now.digest;
}

/** A release whose files differ from what its deploy recorded: it is not made live. */
export class ReleaseEditedError extends StageFailure {
  constructor(
    readonly release: string,
    readonly detail: string,
    next: string,
  ) {
    super(
      `release ${release} was edited on the server after it was deployed (${detail}), so it is not made live. ${next}`,
    );
  }
}

/** The commands that get past an edited release: another rollback target, or a fresh deploy of its commit. */
function nextCommands(ctx: DeployContext, id: string): string {
  if (!ctx.target)
    return `Deploy its commit again (npx tsx scripts/serverDeploy.ts --base ${ctx.base} --artifact <release> --commit ${id.split("-").pop()}), or roll back to another release (npx tsx scripts/serverRollback.ts --base ${ctx.base} --to <id>; the ids: ls ${ctx.base}/releases).`;
  return `Roll back to another release (${rollbackCommand(ctx.target, "<id>")}; the good ones: ${listCommand(ctx.target)}), or deploy its commit again (${deployCommand(ctx.target)}).`;
}

/**
 * Check releases/<id> against the manifest its deploy recorded (the digest in the release log, the entries in
 * .dep/manifests for the message); throw ReleaseEditedError naming what changed. A release deployed before manifests
 * were recorded is allowed, and the log says it was not checked; one logged after them with none is refused (its
 * lines were written by hand: a release dir copied in with a forged `healthy` line).
 */
export async function verifyRelease(ctx: DeployContext, id: string, log: ReleaseLogEntry[]): Promise<void> {
  const digest = recordedDigest(log, id);
  if (digestMissing(log, id))
    throw new ReleaseEditedError(
      id,
      "no manifest was recorded for it, though its first log line comes after releases that have one: a release dir and log lines made by hand?",
      nextCommands(ctx, id),
    );
  if (!digest) {
    ctx.log(`manifest: ${id} has none recorded (deployed before manifests were), so its files were not checked`);
    return;
  }
  const { now, recorded } = await readReleaseManifests(ctx, id);
  if (now.digest === digest) {
    ctx.log(`manifest: ${id} is as deployed (${now.entries.length} entries, ${digest.slice(0, 19)}…)`);
    return;
  }
  const d = diffManifests(parseManifest(recorded), now.entries);
  const detail =
    manifestDigest(recorded) !== digest
      ? `its digest is ${now.digest}, the deploy recorded ${digest}, and .dep/manifests/${id} was edited or removed too`
      : isSameManifest(d)
        ? `its digest is ${now.digest}, the deploy recorded ${digest}`
        : formatManifestDiff(d);
  throw new ReleaseEditedError(id, detail, nextCommands(ctx, id));
}
