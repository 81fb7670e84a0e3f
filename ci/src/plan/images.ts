/**
 * Every container image the plans and the Dagger runner pull, each with the upstream page that says it is published.
 * A tag that is not published fails only on a real engine, so a unit test (test/unit/plan/images.test.ts) checks each
 * image the plans produce against this table. Pure data.
 */

/** One image family: how its tags look, the tag this pipeline uses, and where upstream lists them. */
export interface ImageEntry {
  /** Matches every reference of the family that upstream publishes (and only those). */
  pattern: RegExp;
  /** The reference this pipeline uses by default. */
  ref: string;
  /** The upstream page listing the tags. */
  published: string;
  why: string;
}

/** uv publishes `<ver>-python3.x-trixie-slim` (and alpine); no `*-bookworm*` variant since 0.10.0. */
export const UV_VERSION = "0.13.9";

/** gitleaks: the image's tag, and the version scripts/setup.sh builds from the Go module proxy for the host runner. */
export const GITLEAKS_VERSION = "v8.30.1";

/** The Debian node image the frontend jobs and the deploy container use. */
export function nodeImage(nodeVersion: string): string {
  return `node:${nodeVersion}-bookworm-slim`;
}

/** The uv image for a Python version: Debian trixie slim, the variant uv publishes for UV_VERSION. */
export function uvImage(pythonVersion: string, uv: string = UV_VERSION): string {
  return `ghcr.io/astral-sh/uv:${uv}-python${pythonVersion}-trixie-slim`;
}

/** The official Playwright image whose browsers match the repo's @playwright/test. */
export function playwrightImage(version: string): string {
  return `mcr.microsoft.com/playwright:v${version}-noble`;
}

export const IMAGES = {
  node: {
    pattern: /^node:\d+-bookworm-slim$/,
    ref: nodeImage("20"),
    published: "https://hub.docker.com/_/node/tags?name=bookworm-slim",
    why: "frontend jobs (npm ci, lint, build) and the deploy container (plus apt ssh and rsync)",
  },
  uv: {
    pattern: /^ghcr\.io\/astral-sh\/uv:\d+\.\d+\.\d+-python3\.\d+-trixie-slim$/,
    ref: uvImage("3.12"),
    published: "https://docs.astral.sh/uv/guides/integration/docker/#available-images",
    why: "backend jobs (uv sync, pytest); tags at https://github.com/astral-sh/uv/pkgs/container/uv",
  },
  mongo: {
    pattern: /^mongo:\d+$/,
    ref: "mongo:7",
    published: "https://hub.docker.com/_/mongo/tags?name=7",
    why: "the MongoDB service of the backend tests",
  },
  playwright: {
    pattern: /^mcr\.microsoft\.com\/playwright:v\d+\.\d+\.\d+-noble$/,
    ref: playwrightImage("1.65.1"),
    published: "https://mcr.microsoft.com/en-us/artifact/mar/playwright/tags",
    why: "E2E shards and the merge, at the repo's @playwright/test version (https://playwright.dev/docs/docker)",
  },
  alpine: {
    pattern: /^alpine:3\.21$/,
    ref: "alpine:3.21",
    published: "https://hub.docker.com/_/alpine/tags?name=3.21",
    why: "git for the diff base (apk add git) and ssh for the E2E record (apk add openssh-client)",
  },
  gitleaks: {
    pattern: /^zricethezav\/gitleaks:v8\.\d+\.\d+$/,
    ref: `zricethezav/gitleaks:${GITLEAKS_VERSION}`,
    published: "https://hub.docker.com/r/zricethezav/gitleaks/tags?name=v8.30.1",
    why: "secret scanning in fast-tests (the image carries git, for a pull request's commits)",
  },
  curl: {
    pattern: /^curlimages\/curl:8\.11\.1$/,
    ref: "curlimages/curl:8.11.1",
    published: "https://hub.docker.com/r/curlimages/curl/tags?name=8.11.1",
    why: "webhook notifications",
  },
} satisfies Record<string, ImageEntry>;

/** The table entry an image reference belongs to, or undefined when upstream publishes no such tag. */
export function imageEntry(ref: string): ImageEntry | undefined {
  return Object.values(IMAGES).find((e) => e.pattern.test(ref));
}
