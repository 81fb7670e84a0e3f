/** init: guess a repository's pipeline.yaml and write it. */
import type { Command } from "commander";
import { join } from "node:path";
import { CONFIG_FILE } from "../../../ci/src/plan/config/defaults";
import { printable } from "../../../ci/src/plan/triggers/commits";
import { runInit } from "../init";
import { withSource } from "./options";

/** Register init. */
export function addInit(program: Command, run: (code: number) => void): void {
  withSource(program.command("init").description("guess --source's pipeline.yaml from its files, write it, say why"))
    .option("--force", "overwrite an existing pipeline.yaml", false)
    .action(async (o: { source: string; force: boolean }) => run(printInit(o.source, o.force)));
}

/** The init command: write the file, then say what was guessed and why. */
function printInit(sourceDir: string, force: boolean): number {
  const r = runInit(sourceDir, { force });
  // JSON writes C0 controls as \u escapes, not C1 (\x9b opens a terminal sequence too).
  for (const g of r.guesses) console.log(`${g.key}: ${printable(JSON.stringify(g.value))}  (${g.why})`);
  console.log(
    `\nwrote ${join(sourceDir, CONFIG_FILE)}; run it with: npm run pipeline -- fast-tests --source ${sourceDir}`,
  );
  return 0;
}
