import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  ArtifactInputError,
  assembleArtifact,
  buildArtifact,
  checkArtifact,
  checkArtifactCommit,
  checkBuildable,
  treeManifest,
} from "../../../scripts/host/artifact";
import { MANIFEST_FILE, parseManifest } from "../../../ci/src/plan/deploy/artifact";

/** A source whose frontend lives in web/ and backend in api/, as pipeline.yaml's frontend.path/backend.path say. */
function source(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "artifact-src-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const BUILT = {
  "web/next.config.ts": 'export default { output: "standalone" };\n',
  "web/package-lock.json": '{ "lockfileVersion": 3 }\n',
  "web/.next/standalone/server.js": "// next standalone server\n",
  "web/.next/static/chunks/app.js": "// chunk\n",
  "web/public/robots.txt": "User-agent: *\n",
  "api/pyproject.toml": "[project]\nname = 'api'\n",
  "api/uv.lock": "version = 1\n",
  "api/app/main.py": "app = None\n",
  "ecosystem.config.cjs": "module.exports = { apps: [] };\n",
};
const paths = { frontend: "web", backend: "api" };

describe("the release built from frontend.path and backend.path", () => {
  const made: string[] = [];
  afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("assembles web/ and api/ into the release layout the server runs (frontend/, backend/)", () => {
    const src = source(BUILT);
    const out = join(src, "out");
    made.push(src);
    assembleArtifact(src, out, "abc1234", paths);
    expect(readFileSync(join(out, "frontend/server.js"), "utf8")).toBe("// next standalone server\n");
    expect(existsSync(join(out, "frontend/.next/static/chunks/app.js"))).toBe(true);
    expect(existsSync(join(out, "frontend/public/robots.txt"))).toBe(true);
    expect(readFileSync(join(out, "backend/app/main.py"), "utf8")).toBe("app = None\n");
    expect(readFileSync(join(out, "REVISION"), "utf8")).toBe("abc1234\n");
    expect(checkArtifact(out)).toBe(out);
  });

  it("writes the release's MANIFEST: every shipped file with its sha256, sorted, itself left out", () => {
    const src = source(BUILT);
    const out = join(src, "out");
    made.push(src);
    assembleArtifact(src, out, "abc1234", paths);
    const manifest = readFileSync(join(out, MANIFEST_FILE), "utf8");
    expect(manifest).toBe(treeManifest(out));
    expect(manifest).toContain(`F 644 ${createHash("sha256").update("abc1234\n").digest("hex")} "REVISION"\n`);
    expect(parseManifest(manifest).map((e) => e.path)).toEqual(
      expect.arrayContaining(["frontend/server.js", "backend/app/main.py", "ecosystem.config.cjs"]),
    );
    expect(manifest).not.toContain(`"${MANIFEST_FILE}"`);
    writeFileSync(join(out, "frontend/server.js"), "// changed\n");
    expect(treeManifest(out)).not.toBe(manifest);
  });

  it("checks the configured folders before building, naming them and the fix", () => {
    const src = source(BUILT);
    made.push(src);
    expect(() => checkBuildable(src, paths)).not.toThrow();
    expect(() => checkBuildable(src, { frontend: "frontend", backend: "api" })).toThrow(
      /no frontend folder frontend\. Fix: set frontend\.path/,
    );
    writeFileSync(join(src, "web/next.config.ts"), "export default {};\n");
    expect(() => checkBuildable(src, paths)).toThrow(ArtifactInputError);
    expect(() => checkBuildable(src, paths)).toThrow(/web\/next\.config\.ts does not ask for a standalone build/);
  });

  it("refuses a next.config that is a FIFO at once, as not asking for a standalone build (not blocked on it)", () => {
    const src = source({ ...BUILT, "web/next.config.ts": "" });
    made.push(src);
    rmSync(join(src, "web/next.config.ts"));
    execFileSync("mkfifo", [join(src, "web/next.config.ts")]);
    expect(() => checkBuildable(src, paths)).toThrow(/web\/next\.config\.ts does not ask for a standalone build/);
  }, 5_000);

  it.each([
    ["pnpm-lock.yaml", "lockfileVersion: '9.0'\n"],
    ["yarn.lock", "# yarn lockfile v1\n"],
  ])(
    "refuses a frontend with %s and no package-lock.json before the build: npm ci could not install it",
    (lock, text) => {
      const src = source({ ...BUILT, [`web/${lock}`]: text });
      made.push(src);
      rmSync(join(src, "web/package-lock.json"));
      expect(() => checkBuildable(src, paths)).toThrow(ArtifactInputError);
      expect(() => checkBuildable(src, paths)).toThrow(
        new RegExp(`web has no package-lock\\.json \\(it has ${lock.replace(".", "\\.")}\\).*Fix: `),
      );
      mkdirSync(join(src, "web/node_modules"));
      expect(() => checkBuildable(src, paths)).not.toThrow();
    },
  );
});

/**
 * Links in what the release copies (public/, .next/static, the backend's files): Node's cpSync rewrote a relative link
 * to the build machine's absolute path, so `public/logo.png -> ../assets/logo.png` shipped as a link to
 * `/home/runner/…/assets/logo.png`, dangling on the server; and a link out of the repository (`public/k -> ~/.ssh/id`)
 * shipped as a link the server's app follows (on the bundled staging server, which shares this machine's files, to
 * the runner's own key). Now a link to a file inside the repository ships that file's bytes; anything else is refused
 * before the build, or at assembly for what the build wrote; a given --artifact may hold no link leading out of it.
 */
describe("links in the release", () => {
  const made: string[] = [];
  afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const withLink = (rel: string, target: string, extra: Record<string, string> = {}) => {
    const src = source({ ...BUILT, "web/assets/logo.txt": "logo\n", ...extra });
    made.push(src);
    symlinkSync(target, join(src, rel));
    return src;
  };

  it("ships the bytes of a file a link inside the repository names, not a link to this machine's path", () => {
    const src = withLink("web/public/logo.txt", "../assets/logo.txt");
    expect(() => checkBuildable(src, paths)).not.toThrow();
    const out = join(src, "out");
    assembleArtifact(src, out, "abc1234", paths);
    expect(lstatSync(join(out, "frontend/public/logo.txt")).isFile()).toBe(true);
    expect(readFileSync(join(out, "frontend/public/logo.txt"), "utf8")).toBe("logo\n");
    expect(readFileSync(join(out, MANIFEST_FILE), "utf8")).not.toContain(src);
  });

  it.each([
    ["web/public/key", "/etc/passwd", /web\/public\/key is a link to \/etc\/passwd, outside the repository/],
    ["api/app/env", "/proc/self/environ", /api\/app\/env is a link to \/proc\/self\/environ, outside the repository/],
    ["web/public/gone", "../nowhere.txt", /web\/public\/gone is a link to \.\.\/nowhere\.txt, which does not exist/],
    ["web/public/dir", "../assets", /web\/public\/dir is a link to \.\.\/assets, a folder/],
  ])("refuses %s -> %s before the build, naming it and the fix", (rel, target, message) => {
    const src = withLink(rel, target);
    expect(() => checkBuildable(src, paths)).toThrow(ArtifactInputError);
    expect(() => checkBuildable(src, paths)).toThrow(message);
    expect(() => checkBuildable(src, paths)).toThrow(/Fix: commit the file itself/);
  });

  it("refuses at assembly a link out of the repository that the build wrote into .next/static or the standalone", () => {
    for (const rel of ["web/.next/static/chunks/k.js", "web/.next/standalone/k.js"]) {
      const src = withLink(rel, "/etc/passwd");
      expect(() => assembleArtifact(src, join(src, "out"), "abc1234", paths)).toThrow(
        new RegExp(`${rel.replace(/\./g, "\\.")} is a link to /etc/passwd, outside`),
      );
    }
  });

  /**
   * ecosystem.config.cjs (PM2's apps, which the server evaluates) was copied as a link: a 2026-12-06 hostile run's
   * build replaced it with `ecosystem.config.cjs -> .deploy/staging_key`, and the release on staging held a link to
   * `/tmp/…/app/.deploy/staging_key`, the build machine's path, which PM2 then required.
   */
  it("checks ecosystem.config.cjs's link as the others: a file of the repository ships as bytes, one out is refused", () => {
    const inside = source({ ...BUILT, "pm2/apps.cjs": "module.exports = { apps: [1] };\n" });
    made.push(inside);
    rmSync(join(inside, "ecosystem.config.cjs"));
    symlinkSync("pm2/apps.cjs", join(inside, "ecosystem.config.cjs"));
    assembleArtifact(inside, join(inside, "out"), "abc1234", paths);
    expect(lstatSync(join(inside, "out/ecosystem.config.cjs")).isFile()).toBe(true);
    expect(readFileSync(join(inside, "out/ecosystem.config.cjs"), "utf8")).toBe("module.exports = { apps: [1] };\n");

    const out = source(BUILT);
    made.push(out);
    rmSync(join(out, "ecosystem.config.cjs"));
    symlinkSync("/etc/passwd", join(out, "ecosystem.config.cjs"));
    expect(() => assembleArtifact(out, join(out, "out"), "abc1234", paths)).toThrow(
      /ecosystem\.config\.cjs is a link to \/etc\/passwd, outside the repository/,
    );
    expect(() => checkBuildable(out, paths)).toThrow(/ecosystem\.config\.cjs is a link to \/etc\/passwd/);
  });

  /**
   * The build is repository code, confined: a key file the runner names (STAGING_SSH_KEY_FILE) reads as empty to it.
   * But a link is only a path, and the runner followed the links it left when it copied .next/static and public: a
   * 2026-12-06 hostile run's build script (`ln -s ../../../.deploy/staging_key .next/static/k.txt`) with the key
   * kept in the app's checkout published the deploy key at staging's /_next/static/k.txt.
   */
  it("refuses a link the build left to a file its sandbox masks (a key a runner variable names)", async () => {
    const src = source({
      ...BUILT,
      "web/.next/standalone/server.js": "",
      "web/node_modules/.keep": "",
      "web/package.json": JSON.stringify({
        name: "web",
        scripts: {
          build:
            "echo '// server' > .next/standalone/server.js && ln -s ../../../.deploy/key .next/static/k.txt && mkdir -p public && ln -s ../../.deploy/key public/k.txt",
        },
      }),
      ".deploy/key": "-----BEGIN OPENSSH PRIVATE KEY-----\nc4n4ry\n-----END OPENSSH PRIVATE KEY-----\n",
    });
    made.push(src);
    execFileSync("chmod", ["600", join(src, ".deploy/key")]);
    const saved = process.env.STAGING_SSH_KEY_FILE;
    process.env.STAGING_SSH_KEY_FILE = join(src, ".deploy/key");
    try {
      const out = join(src, "out");
      const built = buildArtifact(src, out, { apiUrl: "http://x", commit: "abc1234", log: () => {}, paths }).then(
        () => readFileSync(join(out, "frontend/.next/static/k.txt"), "utf8"),
        (e: Error) => e,
      );
      const result = await built;
      expect(result).toBeInstanceOf(ArtifactInputError);
      expect(String(result)).toMatch(
        /web\/\.next\/static\/k\.txt is a link to \.\.\/\.\.\/\.\.\/\.deploy\/key, a file repository commands may not read/,
      );
      expect(existsSync(join(out, "frontend/.next/static/k.txt"))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.STAGING_SSH_KEY_FILE;
      else process.env.STAGING_SSH_KEY_FILE = saved;
    }
  }, 60_000);

  /**
   * A release holds folders, regular files and links. A FIFO or a device node in an --artifact was shipped: rsync -a
   * (-D) made it on the server inside the release (as root, a block device the app could read), outside the MANIFEST.
   * (Device nodes were tried by hand with mknod; a FIFO stands for every special file here.)
   */
  it("refuses a FIFO in an --artifact, and in public/ before the build, naming it", () => {
    const src = source(BUILT);
    made.push(src);
    const out = join(src, "out");
    assembleArtifact(src, out, "abc1234", paths);
    execFileSync("mkfifo", [join(out, "frontend/pipe")]);
    expect(() => checkArtifact(out)).toThrow(/frontend\/pipe is not a file, a folder or a link \(a FIFO\)/);
    execFileSync("mkfifo", [join(src, "web/public/pipe")]);
    expect(() => checkBuildable(src, paths)).toThrow(ArtifactInputError);
    expect(() => checkBuildable(src, paths)).toThrow(/web\/public\/pipe is not a file, a folder or a link \(a FIFO\)/);
  }, 5_000);

  it("refuses an --artifact holding a link that leads out of it", () => {
    const src = source(BUILT);
    made.push(src);
    const out = join(src, "out");
    assembleArtifact(src, out, "abc1234", paths);
    symlinkSync("../../../../etc/passwd", join(out, "frontend/public/p"));
    expect(() => checkArtifact(out)).toThrow(ArtifactInputError);
    expect(() => checkArtifact(out)).toThrow(
      /frontend\/public\/p is a link to \.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd, outside the release/,
    );
  });
});

describe("checkArtifactCommit", () => {
  const full = "1234567890abcdef1234567890abcdef12345678";
  const release = (revision?: string) => {
    const dir = mkdtempSync(join(tmpdir(), "artifact-rev-"));
    if (revision !== undefined) writeFileSync(join(dir, "REVISION"), revision);
    return dir;
  };

  it.each([full, "1234567", "1234567890ab"])("takes --commit %s for a release built from %s", (commit) => {
    expect(() => checkArtifactCommit(release(`${full}\n`), commit)).not.toThrow();
  });

  it("takes a release without REVISION (built before releases carried one)", () => {
    expect(() => checkArtifactCommit(release(), "abcdef0")).not.toThrow();
  });

  it.each(["abcdef0", "2234567890abcdef1234567890abcdef12345678"])(
    "refuses --commit %s for a release built from another commit, naming both",
    (commit) => {
      expect(() => checkArtifactCommit(release(`${full}\n`), commit)).toThrow(ArtifactInputError);
      expect(() => checkArtifactCommit(release(`${full}\n`), commit)).toThrow(
        `was built from commit ${full} (its REVISION), not ${commit}. Fix: pass --commit ${full}`,
      );
    },
  );

  it("writes a REVISION holding escapes as \\x, never to the terminal", () => {
    expect(() => checkArtifactCommit(release("\u001b[2J"), "abcdef0")).toThrow(/commit \\x1b\[2J \(its REVISION\)/);
  });
});
