/** What the scenarios read to decide a check: staging's E2E records, a server's release log, the receiver's posts. */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { $ } from "zx";
import type { StagingServer } from "../../host/staging/server";
import { treeManifest } from "../../host/artifact";
import { parseManifest } from "../../../ci/src/plan/deploy/artifact";
import type { Chain } from "../hops";

export const BACKEND = "examples/app/backend";

/** The E2E record staging holds for a commit (.dep/e2e/<sha>.json), if any. */
export function record(c: Chain, sha: string): { commit: string; status: string; artifact?: string } | undefined {
  const f = join(c.staging.base, ".dep/e2e", `${sha}.json`);
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as { commit: string; status: string }) : undefined;
}

/** A server's release log (.dep/releases.jsonl), one object per line. */
export function releases(s: StagingServer): { commit: string; status: string; reason?: string }[] {
  const f = join(s.base, ".dep/releases.jsonl");
  if (!existsSync(f)) return [];
  return readFileSync(f, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { commit: string; status: string; reason?: string });
}

/** A hop of the happy path that did not do its part: the rest of the chain cannot run on it. */
export class Halt extends Error {}
export function must(c: Chain, what: string, ok: boolean): void {
  c.check(what, ok);
  if (!ok) throw new Halt(what);
}

export type Posts = () => { path: string; body: string }[];
/** The bodies posted to one path of the receiver (one path per webhook secret). */
export const bodies = (posts: { path: string; body: string }[], path: string) =>
  posts.filter((p) => p.path === path).map((p) => p.body);

/**
 * What each server put into a release after the upload (the venv, the env link) and what the running apps wrote there
 * (Python bytecode, Next.js's route cache): never part of the artifact, never in its MANIFEST.
 */
const SERVER_INSTALLS = [".venv", "env", "__pycache__", "route-cache"];

/**
 * How production's live release differs from staging's, file by file (`diff -rq` of the two release dirs): in all,
 * and outside what each server installed into it. Promotion ships staging's artifact, so the second must be 0.
 */
export async function releaseDiff(a: StagingServer, b: StagingServer): Promise<{ text: string; artifact: number }> {
  const [x, y] = [join(a.base, "current/"), join(b.base, "current/")];
  const files = (await $({ quiet: true, nothrow: true })`find -L ${x} -type f`).stdout.split("\n").filter(Boolean);
  const diff = async (ex: string[]) =>
    (await $({ quiet: true, nothrow: true })`diff -rq ${ex.map((e) => `--exclude=${e}`)} ${x} ${y}`).stdout
      .split("\n")
      .filter(Boolean);
  const [all, artifact] = [await diff([]), await diff(SERVER_INSTALLS)];
  const shown = (lines: string[]) =>
    lines.length
      ? ` (${lines
          .slice(0, 3)
          .map((l) => l.replaceAll(x, "").replaceAll(y, ""))
          .join("; ")}${lines.length > 3 ? "; …" : ""})`
      : "";
  return {
    text: `${all.length} of ${files.length} files differ${shown(all)}; outside the server installs (${SERVER_INSTALLS.join(", ")}): ${artifact.length}${shown(artifact)}`,
    artifact: artifact.length,
  };
}

/** Whether a server's live release holds every file of `manifest` byte for byte (and mode), as listed. */
export function holdsManifest(s: StagingServer, manifest: string): boolean {
  const only = new Set(parseManifest(manifest).map((e) => e.path));
  return manifest !== "" && treeManifest(join(s.base, "current"), only) === manifest;
}

/** A server's current/MANIFEST text, "" without one. */
export function currentManifest(s: StagingServer): string {
  const f = join(s.base, "current/MANIFEST");
  return existsSync(f) ? readFileSync(f, "utf8") : "";
}

/** The sha256 digest of a server's current/MANIFEST (the artifact it runs), "" without one. */
export function currentArtifact(s: StagingServer): string {
  const f = join(s.base, "current/MANIFEST");
  return existsSync(f) ? `sha256:${createHash("sha256").update(readFileSync(f)).digest("hex")}` : "";
}
