import { describe, expect, it } from "vitest";
import {
  diffManifests,
  digestMissing,
  formatManifest,
  formatManifestDiff,
  isSameManifest,
  parseManifest,
  parseManifestListing,
  recordedDigest,
  type ManifestEntry,
} from "../../../../ci/src/plan/deploy/manifest";
import type { ReleaseLogEntry } from "../../../../ci/src/plan/deploy/releaseLog";

const H1 = "a".repeat(64);
const H2 = "b".repeat(64);

/** A listing as the server prints it: find's records, then sha256sum -z's. */
const listing = (...records: string[]) => `${records.join("\0")}\0`;

describe("parseManifestListing", () => {
  it("joins each file's mode with its hash, keeps links and other entries, sorted by path", () => {
    const raw = listing(
      "F644 frontend/server.js",
      "Lbackend/.venv/bin/python",
      "/usr/bin/python3.11",
      "F755 backend/run.sh",
      "Op backend/fifo",
      `${H1}  ./frontend/server.js`,
      `${H2}  ./backend/run.sh`,
    );
    expect(parseManifestListing(raw)).toEqual([
      { path: "backend/.venv/bin/python", kind: "link", target: "/usr/bin/python3.11" },
      { path: "backend/fifo", kind: "other", type: "p" },
      { path: "backend/run.sh", kind: "file", mode: "755", sha256: H2 },
      { path: "frontend/server.js", kind: "file", mode: "644", sha256: H1 },
    ]);
  });

  it("keeps paths with spaces, newlines, backslashes and quotes whole", () => {
    const odd = 'we ird\nna"me\\x $(id)';
    const raw = listing(`F644 ${odd}`, `${H1}  ./${odd}`, "Llink\nname", "target with\nnewline");
    expect(parseManifestListing(raw)).toEqual([
      { path: "link\nname", kind: "link", target: "target with\nnewline" },
      { path: odd, kind: "file", mode: "644", sha256: H1 },
    ]);
  });

  it("gives a file whose hash never came the hash 'missing', so it never matches a recorded one", () => {
    expect(parseManifestListing(listing("F644 gone.txt"))).toEqual([
      { path: "gone.txt", kind: "file", mode: "644", sha256: "missing" },
    ]);
  });

  it("refuses a record it does not know (a listing cut or garbled)", () => {
    expect(() => parseManifestListing(listing("Xnonsense"))).toThrow(/not a manifest listing record/);
  });

  it("reads an empty dir as no entries", () => {
    expect(parseManifestListing("")).toEqual([]);
  });
});

describe("formatManifest and parseManifest", () => {
  const entries: ManifestEntry[] = [
    { path: "z", kind: "file", mode: "644", sha256: H1 },
    { path: "a\nb", kind: "link", target: "../x" },
    { path: "p", kind: "other", type: "p" },
  ];

  it("write one JSON array per entry, sorted, so the same dir always gives the same text", () => {
    const text = formatManifest(entries);
    expect(text).toBe(`["a\\nb","l","../x"]\n["p","o","p"]\n["z","f","644","${H1}"]\n`);
    expect(formatManifest([...entries].reverse())).toBe(text);
  });

  it("read the text back to the same entries, skipping lines that are not entries", () => {
    expect(parseManifest(`${formatManifest(entries)}not json\n["x","f"]\n[1,2,3]\n`)).toEqual(
      parseManifestListing(listing("La\nb", "../x", "Op p", "F644 z", `${H1}  ./z`)),
    );
  });
});

describe("diffManifests", () => {
  const was: ManifestEntry[] = [
    { path: "a.js", kind: "file", mode: "644", sha256: H1 },
    { path: "b.js", kind: "file", mode: "644", sha256: H1 },
    { path: "run.sh", kind: "file", mode: "644", sha256: H2 },
    { path: "l", kind: "link", target: "x" },
  ];

  it("finds nothing when the dir is as recorded", () => {
    const d = diffManifests(was, [...was].reverse());
    expect(isSameManifest(d)).toBe(true);
    expect(formatManifestDiff(d)).toBe("");
  });

  it("names changed bytes, a changed mode, a changed link target, removed and added paths", () => {
    const now: ManifestEntry[] = [
      { path: "a.js", kind: "file", mode: "644", sha256: H2 },
      { path: "run.sh", kind: "file", mode: "755", sha256: H2 },
      { path: "l", kind: "link", target: "/etc/passwd" },
      { path: "new.js", kind: "file", mode: "644", sha256: H1 },
    ];
    const d = diffManifests(was, now);
    expect(d).toEqual({ changed: ["a.js", "run.sh", "l"], removed: ["b.js"], added: ["new.js"] });
    expect(isSameManifest(d)).toBe(false);
    expect(formatManifestDiff(d)).toBe('changed "a.js", "run.sh", "l"; removed "b.js"; added "new.js"');
  });

  it("counts what it leaves out of the message, and quotes a path with a newline on one line", () => {
    const many = Array.from({ length: 8 }, (_, i) => `f${i}\nx`);
    const d = { changed: [], removed: many, added: [] };
    expect(formatManifestDiff(d, 2)).toBe('removed "f0\\nx", "f1\\nx" and 6 more');
  });
});

describe("recordedDigest", () => {
  const d1 = `sha256:${H1}`;
  const d2 = `sha256:${H2}`;
  const e = (id: string, digest?: string) => ({ id, commit: "c", time: "t", status: "started" as const, digest });

  it("takes the newest digest logged for the release", () => {
    const id = "20261126T231501Z-3520442";
    expect(recordedDigest([e(id, d1), e("20261127T000000Z-aaaaaaa", d2), e(id, d2), e(id)], id)).toBe(d2);
  });

  it("has none for a release deployed before manifests were recorded, and ignores a malformed one", () => {
    const id = "20261126T231501Z-3520442";
    expect(recordedDigest([e(id)], id)).toBeUndefined();
    expect(recordedDigest([e(id, "md5:abc")], id)).toBeUndefined();
  });
});

describe("digestMissing", () => {
  const digest = `sha256:${"a".repeat(64)}`;
  const line = (id: string, status: string, extra: Record<string, string> = {}) =>
    ({ id, commit: id.slice(-7), time: "2026-12-06T00:00:00Z", status, ...extra }) as ReleaseLogEntry;
  const OLD = "20261101T000000Z-1111111";
  const NEW = "20261201T000000Z-2222222";
  const FORGED = "20991231T000000Z-deadbee";

  it("is false for a release logged before any digest (deployed before manifests were)", () => {
    const log = [line(OLD, "deployed"), line(NEW, "healthy", { digest }), line(NEW, "deployed")];
    expect(digestMissing(log, OLD)).toBe(false);
  });

  it("is false for a release with a digest, and true for one first logged after a digest without its own", () => {
    const log = [line(OLD, "deployed"), line(NEW, "healthy", { digest }), line(FORGED, "healthy")];
    expect(digestMissing(log, NEW)).toBe(false);
    expect(digestMissing(log, FORGED)).toBe(true);
  });

  it("is false when no line carries a digest at all", () => {
    expect(digestMissing([line(OLD, "deployed"), line(FORGED, "healthy")], FORGED)).toBe(false);
  });
});
