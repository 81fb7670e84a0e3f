import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  ArtifactInputError,
  assembleArtifact,
  checkArtifact,
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
