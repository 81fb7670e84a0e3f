/**
 * The deploy, Deployer v7 style: this file only lists the tasks (one per file in
 * tasks/) and the failure path. Names match DEPLOY_TASKS in ci/src/plan/deploy/stage.ts.
 */
import { StageFailure } from "../../ci/src/plan/errors";
import { DEPLOY_TASKS, type DeployTaskName } from "../../ci/src/plan/deploy/stage";
import type { DeployContext } from "./context";
import { checkServer } from "./checkServer";
import { deployFailed } from "./failed";
import { DeployInterrupted, throwIfInterrupted } from "./interrupted";
import { cleanup } from "./tasks/cleanup";
import { health } from "./tasks/health";
import { install } from "./tasks/install";
import { lock } from "./tasks/lock";
import { migrate } from "./tasks/migrate";
import { release } from "./tasks/release";
import { reload } from "./tasks/reload";
import { shared } from "./tasks/shared";
import { switchCurrent } from "./tasks/switch";
import { unlock } from "./tasks/unlock";
import { upload } from "./tasks/upload";
import { watch } from "./tasks/watch";

export const TASKS: Record<DeployTaskName, (ctx: DeployContext) => Promise<void>> = {
  lock,
  release,
  upload,
  install,
  shared,
  migrate,
  switch: switchCurrent,
  reload,
  health,
  watch,
  cleanup,
  unlock,
};

/** A deploy that failed: which task, what it said, and where current stands now. */
export class DeployFailedError extends StageFailure {
  override readonly exitCode: number;
  constructor(
    readonly task: DeployTaskName,
    readonly cause: Error,
    readonly outcome: string,
  ) {
    super(`deploy failed at ${task}: ${cause.message}\n${outcome}`);
    this.exitCode = cause instanceof DeployInterrupted ? cause.exitCode : 1;
  }
}

/**
 * Check the server (unless the caller already did), then run every task in order; on a failure run the failure path
 * (rollback if switched, remove the release, unlock) and throw.
 */
export async function deploy(ctx: DeployContext): Promise<void> {
  if (!ctx.server) await checkServer(ctx);
  for (const name of DEPLOY_TASKS) {
    ctx.log(`task ${name}`);
    try {
      throwIfInterrupted(ctx.abort);
      await TASKS[name](ctx);
    } catch (e) {
      const outcome = await deployFailed(ctx, e as Error);
      throw new DeployFailedError(name, e as Error, outcome);
    }
  }
}
