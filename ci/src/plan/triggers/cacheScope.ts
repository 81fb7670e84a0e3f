/**
 * Whose package caches a run's repository commands read and write, from its trigger. Code already in the repository
 * (a push, a schedule, a manual or laptop run) shares one set of caches; a pull request's code is not reviewed yet,
 * so it gets caches of its own, one set per pull request, and can never change what another branch's run installs
 * or builds from (a planted wheel in uv's cache, corepack's pnpm, Next's build cache). As GitHub Actions scopes its
 * caches by ref. Pure.
 *
 * The Dagger runner keys each cache volume by the scope (the keys are rewritten here); the host runner gives a
 * scoped command a home and a temp dir of its own, with the runner's home read-only (scripts/host/sandbox.ts).
 */
import type { Job } from "../job";

/** The shared scope, or one pull request's. */
export interface CacheScope {
  /** "shared", or "pr-<number>" (else "pr-<branch>-<digest>", else "pr-commit-<sha>"): a folder name, a cache key. */
  name: string;
  trusted: boolean;
}

export const SHARED_SCOPE: CacheScope = { name: "shared", trusted: true };

/** How many pull requests' caches the host runner keeps, the most recently used (docs/deploy.md, trust scopes). */
export const KEEP_SCOPES = 10;

/** What the trigger says about the run: its event, and the pull request's number or branch. */
export interface ScopeTrigger {
  event?: string;
  pullRequest?: number;
  branch?: string;
  /** A pull request typed by hand (no event file): its head commit, the one name its code has. */
  headCommit?: string;
}

/** The cache scope of a run: a pull request's own, else the shared one. */
export function cacheScopeOf(t: ScopeTrigger): CacheScope {
  if (t.event !== "pull_request") return SHARED_SCOPE;
  if (t.pullRequest !== undefined && Number.isSafeInteger(t.pullRequest) && t.pullRequest > 0)
    return { name: `pr-${t.pullRequest}`, trusted: false };
  // Typed by hand, a pull request has no number or branch: its head commit tells its code from another's (`pr` was
  // one scope for all of them). Never a number's or a branch's scope: those have no `commit-` and 40 hex digits.
  if (!t.branch && t.headCommit && /^[0-9a-f]{40}$/.test(t.headCommit))
    return { name: `pr-commit-${t.headCommit}`, trusted: false };
  if (!t.branch) return { name: "pr", trusted: false };
  // The branch made safe as a folder name, and a digest of it as given: `17` is not pull request 17's scope, and
  // branches made alike (two forks' `patch-1` aside, `feat/x` and `feat-x`) are not each other's.
  const slug = t.branch
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  const digest = fnv1a(t.branch);
  return { name: `pr-${slug || "branch"}-${digest}`, trusted: false };
}

/** The job as it runs in `scope`: the shared scope leaves it as planned; another keys its caches by the scope. */
export function scopeJob<J extends Job>(job: J, scope: CacheScope): J {
  if (scope.trusted) return job;
  return { ...job, scope: scope.name, caches: job.caches.map((m) => ({ ...m, key: `${m.key}-${scope.name}` })) };
}

/** Of the scopes kept (each with when it was last used), those to delete: all but the `keep` most recently used. */
export function scopesToPrune(scopes: { name: string; usedAt: number }[], keep = KEEP_SCOPES): string[] {
  return [...scopes]
    .sort((a, b) => b.usedAt - a.usedAt || a.name.localeCompare(b.name))
    .slice(keep)
    .map((s) => s.name);
}

/** FNV-1a (32 bits) of the text's UTF-8 bytes, as 8 hex digits: tells branch names made alike apart (not a secret). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}
