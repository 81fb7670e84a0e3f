/** init: guess a repository's pipeline.yaml and write it. */
import type { Command } from "commander";
import { initCommand } from "../init";
import { withSource } from "./options";

/** Register init. */
export function addInit(program: Command, run: (code: number) => void): void {
  withSource(program.command("init").description("guess --source's pipeline.yaml from its files, write it, say why"))
    .option("--force", "overwrite an existing pipeline.yaml", false)
    .action(async (o: { source: string; force: boolean }) => run(await initCommand(o.source, o.force)));
}
