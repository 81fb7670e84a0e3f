import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { $ } from "zx";

/**
 * Build once: the release the server receives is what the pipeline built here from the tested
 * commit — the Next standalone server (with .next/static and public) and the backend source
 * with its uv.lock. The server runs no build, only `uv sync --frozen --no-dev`.
 */
export async function buildArtifact(
  source: string,
  outDir: string,
  opts: { apiUrl: string; commit: string; log: (s: string) => void },
): Promise<string> {
  const fe = join(source, "frontend");
  const env = { ...process.env, NEXT_PUBLIC_API_URL: opts.apiUrl, NEXT_TELEMETRY_DISABLED: "1" };
  if (!existsSync(join(fe, "node_modules"))) {
    opts.log("artifact: npm ci (frontend)");
    await $({ cwd: fe, quiet: true })`npm ci --no-audit --no-fund`;
  }
  opts.log(`artifact: next build (NEXT_PUBLIC_API_URL=${opts.apiUrl})`);
  await $({ cwd: fe, env, quiet: true })`npm run build`;
  return assembleArtifact(source, outDir, opts.commit);
}

/**
 * Copy a built source into the release layout: frontend/ (standalone), backend/ (source + lock), ecosystem.config.cjs.
 */
export function assembleArtifact(source: string, outDir: string, commit: string): string {
  const fe = join(source, "frontend");
  const be = join(source, "backend");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, "backend"), { recursive: true });
  cpSync(join(fe, ".next/standalone"), join(outDir, "frontend"), { recursive: true, verbatimSymlinks: true });
  cpSync(join(fe, ".next/static"), join(outDir, "frontend/.next/static"), { recursive: true });
  if (existsSync(join(fe, "public"))) cpSync(join(fe, "public"), join(outDir, "frontend/public"), { recursive: true });
  for (const f of ["pyproject.toml", "uv.lock", "README.md", "app"]) {
    if (existsSync(join(be, f)))
      cpSync(join(be, f), join(outDir, "backend", f), { recursive: true, filter: (p) => !p.includes("__pycache__") });
  }
  cpSync(join(source, "ecosystem.config.cjs"), join(outDir, "ecosystem.config.cjs"));
  writeFileSync(join(outDir, "REVISION"), `${commit}\n`);
  return outDir;
}
