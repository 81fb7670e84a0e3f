/** staging-server start|stop|status (the bundled local staging server), and staging-commit. */
import { Argument, type Command } from "commander";
import { stagingServerCommand } from "../deploy";
import { stagingCommitCommand } from "../stagingCommit";
import { oneOf } from "./values";

const ACTIONS = ["start", "stop", "status"] as const;

/** Register staging-server with its one argument, and staging-commit. */
export function addStagingServer(program: Command, run: (code: number) => void): void {
  program
    .command("staging-server")
    .description("start|stop|status the bundled local staging server (sshd, nginx, db)")
    .addArgument(new Argument("<action>", "what to do").choices(ACTIONS).argParser(oneOf("staging-server", ACTIONS)))
    .action(async (action: string) => run(await stagingServerCommand(action)));
  program
    .command("staging-commit")
    .description("print the full sha of staging's current release (what E2E tests and production promotes)")
    .action(async () => run(await stagingCommitCommand()));
}
