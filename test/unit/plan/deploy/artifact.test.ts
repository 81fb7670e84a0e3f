import { describe, expect, it } from "vitest";
import {
  artifactFetchArgv,
  ArtifactMismatchError,
  checkArtifactDigest,
  checkArtifactTree,
  checkPromotedCommit,
  formatManifest,
  isShipped,
  manifestDifferences,
  parseManifest,
  promotedArtifactOf,
  type ManifestEntry,
} from "../../../../ci/src/plan/deploy/artifact";
import type { PromotionRecord } from "../../../../ci/src/plan/deploy/promotion";

const H = (c: string) => c.repeat(64);
const ENTRIES: ManifestEntry[] = [
  { path: "frontend/server.js", kind: "file", mode: "644", sha256: H("a") },
  { path: "REVISION", kind: "file", mode: "644", sha256: H("b") },
  { path: "frontend/index.js", kind: "link", target: "server.js" },
  { path: 'odd "name".txt', kind: "file", mode: "755", sha256: H("c") },
];
const SHA = "a".repeat(40);
const RELEASE = "20261129T201500Z-aaaaaaa";
const record = (extra: Partial<PromotionRecord> = {}): PromotionRecord => ({
  commit: SHA,
  status: "passed",
  suite: "smoke",
  passed: 1,
  failed: 0,
  flaky: 0,
  finishedAt: "",
  report: "",
  ...extra,
});

describe("formatManifest", () => {
  it("sorts by path whatever the input order, so equal trees give equal text", () => {
    const text = formatManifest(ENTRIES);
    expect(formatManifest([...ENTRIES].reverse())).toBe(text);
    expect(text.split("\n")[0]).toBe(`F 644 ${H("b")} "REVISION"`);
    expect(text).toContain(`L "server.js" "frontend/index.js"\n`);
  });

  it("reads back what it wrote, quotes included", () => {
    expect(parseManifest(formatManifest(ENTRIES))).toEqual([...ENTRIES].sort((a, b) => (a.path < b.path ? -1 : 1)));
  });
});

describe("parseManifest", () => {
  it("refuses a malformed line or a path outside the release", () => {
    expect(() => parseManifest('F 644 xyz "a"\n')).toThrow(ArtifactMismatchError);
    expect(() => parseManifest(`F 644 ${H("a")} "../etc/passwd"\n`)).toThrow(/not a path inside the release/);
    expect(() => parseManifest(`L "x" "/abs"\n`)).toThrow(/not a path inside the release/);
  });
});

describe("manifestDifferences", () => {
  it("names changed, missing and extra paths", () => {
    const a = formatManifest(ENTRIES);
    const b = formatManifest([
      { path: "frontend/server.js", kind: "file", mode: "644", sha256: H("d") },
      { path: "REVISION", kind: "file", mode: "644", sha256: H("b") },
      { path: "extra", kind: "file", mode: "644", sha256: H("e") },
    ]);
    expect(manifestDifferences(a, b)).toEqual(["extra", "frontend/index.js", "frontend/server.js", 'odd "name".txt']);
    expect(manifestDifferences(a, a)).toEqual([]);
  });
});

describe("isShipped", () => {
  const ex = [".venv", "__pycache__", "*.pyc", ".next/cache", ".env.*"];
  it("leaves out what rsync's unanchored excludes leave out, at any depth", () => {
    expect(isShipped("backend/.venv/bin/python", ex)).toBe(false);
    expect(isShipped("backend/app/__pycache__/x.cpython-312.pyc", ex)).toBe(false);
    expect(isShipped("frontend/.next/cache/images/a", ex)).toBe(false);
    expect(isShipped("a/b.pyc", ex)).toBe(false);
    expect(isShipped(".env.local", ex)).toBe(false);
  });
  it("ships everything else", () => {
    expect(isShipped("frontend/.next/server/app/index.html", ex)).toBe(true);
    expect(isShipped("backend/app/main.py", ex)).toBe(true);
    expect(isShipped("frontend/cache", ex)).toBe(true);
  });
});

describe("promotedArtifactOf", () => {
  it("takes the release and digest from a green record", () => {
    expect(promotedArtifactOf(record({ release: RELEASE, artifact: `sha256:${H("f")}` }))).toEqual({
      release: RELEASE,
      artifact: `sha256:${H("f")}`,
    });
  });
  it("refuses a record that names no artifact (exit 2), saying to redeploy staging and re-run E2E", () => {
    const e = (() => {
      try {
        promotedArtifactOf(record());
      } catch (x) {
        return x as ArtifactMismatchError;
      }
    })();
    expect(e).toBeInstanceOf(ArtifactMismatchError);
    expect(e?.exitCode).toBe(2);
    expect(e?.message).toMatch(
      /^input error: deploy-production refused: .*Fix: deploy-staging --commit a{40}, re-run E2E/,
    );
  });
});

describe("checkArtifactDigest and checkArtifactTree", () => {
  const p = { release: RELEASE, artifact: `sha256:${H("f")}` };
  it("pass on the recorded digest and no differing path", () => {
    expect(() => checkArtifactDigest(p.artifact, p, SHA)).not.toThrow();
    expect(() => checkArtifactTree([], p, SHA)).not.toThrow();
  });
  it("refuse another digest, or differing files (the first three named)", () => {
    expect(() => checkArtifactDigest(`sha256:${H("0")}`, p, SHA)).toThrow(/but E2E recorded sha256:f{64}/);
    expect(() => checkArtifactTree(["a", "b", "c", "d"], p, SHA)).toThrow(/\(a, b, c, … \(4\)\)/);
  });
});

describe("checkPromotedCommit", () => {
  const p = { release: RELEASE, artifact: `sha256:${H("f")}` };
  it("passes a release of the record's commit: its id's short sha and its REVISION (full, short, or none)", () => {
    expect(() => checkPromotedCommit(p, `${SHA}\n`, SHA)).not.toThrow();
    expect(() => checkPromotedCommit(p, "aaaaaaa\n", SHA)).not.toThrow();
    expect(() => checkPromotedCommit(p, undefined, SHA)).not.toThrow();
  });
  it("refuses a record of one commit naming another commit's release (exit 2), by its id or its REVISION", () => {
    const other = "b".repeat(40);
    const byId = () => checkPromotedCommit({ ...p, release: "20261129T201500Z-bbbbbbb" }, `${SHA}\n`, SHA);
    expect(byId).toThrow(ArtifactMismatchError);
    expect(byId).toThrow(
      /^input error: deploy-production refused: the E2E record for a{40} names staging's release 20261129T201500Z-bbbbbbb, which is not a release of that commit/,
    );
    const byRevision = () => checkPromotedCommit(p, `${other}\n`, SHA);
    expect(byRevision).toThrow(/its REVISION says b{40}/);
    expect(byRevision).toThrow(/Fix: deploy-staging --commit a{40}, re-run E2E on staging/);
    expect(() => checkPromotedCommit(p, "\x1b[2J\n", SHA)).toThrow(/its REVISION says \\x1b\[2J/);
  });
});

describe("artifactFetchArgv", () => {
  it("rsyncs staging's release over the pinned ssh, without server installs or the env link", () => {
    const t = {
      name: "staging" as const,
      host: "staging.example.com",
      port: 2222,
      user: "deploy",
      basePath: "/srv/app",
    };
    const argv = artifactFetchArgv(t, RELEASE, { keyFile: "/k", knownHostsFile: "/kh" }, "/out/", [".venv"]);
    expect(argv.slice(0, 4)).toEqual(["rsync", "-a", "--no-D", "--delete"]);
    expect(argv).toContain("--exclude=.venv");
    expect(argv).toContain("--exclude=/env");
    expect(argv[argv.indexOf("-e") + 1]).toMatch(/^ssh -i \/k -p 2222 .*StrictHostKeyChecking=yes/);
    expect(argv.slice(-2)).toEqual([`deploy@staging.example.com:/srv/app/releases/${RELEASE}/`, "/out/"]);
    expect(() => artifactFetchArgv(t, "../x", { keyFile: "/k", knownHostsFile: "/kh" }, "/o", [])).toThrow(
      ArtifactMismatchError,
    );
  });
});
