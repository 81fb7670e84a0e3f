import { lstatSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

/** Where a deploy keeps a secret on purpose: the 0600 files under shared/env it writes, one per secret. */
const SECRET_STORES = [/(^|\/)shared\/env\//];
/** Trees a deploy installs from lockfiles; no secret is written into them and walking them is slow. */
const SKIPPED_DIRS = new Set(["node_modules", ".venv", ".next", "__pycache__"]);

/** List every regular file under `root` (outside the secret stores) whose bytes hold one of `needles`. */
export function filesHolding(root: string, needles: string[], maxBytes = 8 << 20): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const rel = relative(root, path);
      const st = lstatSync(path);
      if (st.isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) walk(path);
      } else if (st.isFile() && st.size <= maxBytes && !SECRET_STORES.some((r) => r.test(rel))) {
        const text = readFileSync(path, "latin1");
        if (needles.some((n) => text.includes(n))) found.push(rel);
      }
    }
  };
  walk(root);
  return found.sort();
}
