/**
 * The Auto-Author CI/CD pipeline. Each function plans a stage as plain data
 * (config.ts, *Job.ts, *Plan.ts) and runs it on the engine (dagger*.ts); the
 * host runner in scripts/ runs the very same plan as local processes.
 *
 *   fast-tests      Tier 1: frontend checks ‖ backend tests      (fastTestsPlan.ts)
 */
import { argument, func, object, type Directory } from "@dagger.io/dagger";
import { CONFIG_FILE } from "./config";
import { readConfig } from "./daggerConfig";
import { runStage } from "./daggerStage";
import { planFastTests } from "./fastTestsPlan";

/** The Auto-Author pipeline: fast tests, deploys, E2E, rollback and the plan, one function each. */
@object()
export class Ci {
  /**
   * Run the frontend checks and the backend tests in parallel, and return the summary table.
   * Example: dagger call fast-tests --source ../my-app
   * @param source the application repository (defaults to the embedded example app)
   * @param config path of the pipeline config inside the source; optional, defaults apply when absent
   */
  @func()
  async fastTests(@argument({ defaultPath: "/examples/app", ignore: ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__", ".git"] }) source: Directory, config: string = CONFIG_FILE): Promise<string> {
    return runStage(source, planFastTests(await readConfig(source, config)));
  }

  /**
   * Run the frontend job alone: npm ci, lint, typecheck, unit tests with coverage, next build.
   * Example: dagger call frontend-checks --source ../my-app
   * @param source the application repository (defaults to the embedded example app)
   * @param config path of the pipeline config inside the source
   */
  @func()
  async frontendChecks(@argument({ defaultPath: "/examples/app", ignore: ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__", ".git"] }) source: Directory, config: string = CONFIG_FILE): Promise<string> {
    return runStage(source, planFastTests(await readConfig(source, config), "frontend"));
  }

  /**
   * Run the backend job alone: uv sync, pytest with the coverage gate against a mongo:7 service.
   * Example: dagger call backend-tests --source ../my-app
   * @param source the application repository (defaults to the embedded example app)
   * @param config path of the pipeline config inside the source
   */
  @func()
  async backendTests(@argument({ defaultPath: "/examples/app", ignore: ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__", ".git"] }) source: Directory, config: string = CONFIG_FILE): Promise<string> {
    return runStage(source, planFastTests(await readConfig(source, config), "backend"));
  }
}
