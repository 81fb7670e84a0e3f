/** staging-server start|stop|status (the bundled local staging server), and staging-commit. */
import { resolve } from "node:path";
import { Argument, type Command } from "commander";
import { stagingServerDir } from "../staging/dir";
import { startStagingServer, stagingStatus, stopStagingServer } from "../staging/server";
import { stagingCommitCommand } from "../stagingCommit";
import { oneOf } from "./values";

const ACTIONS = ["start", "stop", "status"] as const;

/** Register staging-server with its one argument, and staging-commit. */
export function addStagingServer(program: Command, run: (code: number) => void): void {
  program
    .command("staging-server")
    .description("start|stop|status the bundled local staging server (sshd, nginx, db)")
    .addArgument(new Argument("<action>", "what to do").choices(ACTIONS).argParser(oneOf("staging-server", ACTIONS)))
    .action(async (action: string) => run(await stagingServer(action)));
  program
    .command("staging-commit")
    .description("print the full sha of staging's current release (what E2E tests and production promotes)")
    .action(async () => run(await stagingCommitCommand()));
}

/** `staging-server start|stop|status` on the folder the deploy commands read (STAGING_SERVER_DIR, else the default). */
async function stagingServer(action: string | undefined): Promise<number> {
  const dir = resolve(stagingServerDir(process.env));
  if (action === "start") {
    const s = await startStagingServer(dir);
    console.log(`${stagingStatus(s.dir)}\nnext: npm run pipeline -- deploy-staging`);
    return 0;
  }
  if (action === "stop") {
    await stopStagingServer(dir);
    console.log(`staging server under ${dir} stopped`);
    return 0;
  }
  if (action === "status") return (console.log(stagingStatus(dir)), 0);
  console.error("usage: npm run pipeline -- staging-server start|stop|status");
  return 2;
}
