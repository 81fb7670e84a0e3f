/**
 * P3: fast-tests with nothing changed since the base completes in <= 2 s on the host runner.
 * Measured in one run against fast-tests after a one-file backend change, on a temp clone of this repo.
 *   npx tsx bench/nothingChanged.ts
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const GOAL_SECONDS = 2;
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "b@b",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "b@b",
};
const dir = mkdtempSync(join(tmpdir(), "p3-"));

function fastTests(base: string): { seconds: number; code: number | null; tail: string } {
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, "node_modules/tsx/dist/cli.mjs"),
      join(ROOT, "scripts/pipeline.ts"),
      "fast-tests",
      "--source",
      join(dir, "examples/app"),
      "--base",
      base,
      "--head",
      "HEAD",
    ],
    { env, encoding: "utf8" },
  );
  return {
    seconds: (performance.now() - t) / 1000,
    code: r.status,
    tail: r.stdout.trim().split("\n").slice(-4).join("\n"),
  };
}

try {
  execFileSync("git", ["clone", "-q", ROOT, dir], { env });
  const nothing = fastTests("HEAD");
  appendFileSync(join(dir, "examples/app/backend/app/__init__.py"), "\n# bench: one changed file\n");
  execFileSync("git", ["commit", "-qam", "test: bench change"], { cwd: dir, env });
  const one = fastTests("HEAD~1");
  console.log(`nothing changed: ${nothing.seconds.toFixed(2)} s (exit ${nothing.code})\n${nothing.tail}`);
  console.log(`one backend file changed: ${one.seconds.toFixed(2)} s (exit ${one.code})\n${one.tail}`);
  console.log(
    `P3 ratio nothing/one-file = ${(nothing.seconds / one.seconds).toFixed(3)}; goal <= ${GOAL_SECONDS} s: ${nothing.seconds <= GOAL_SECONDS ? "met" : "MISSED"}`,
  );
  process.exitCode = nothing.seconds <= GOAL_SECONDS && nothing.code === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
