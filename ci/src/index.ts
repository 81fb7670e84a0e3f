/**
 * The Auto-Author CI/CD pipeline. Each function plans a stage as plain data
 * (config.ts, *Job.ts, *Plan.ts) and runs it on the engine (dagger*.ts); the
 * host runner in scripts/ runs the very same plan as local processes.
 *
 *   fast-tests      Tier 1: frontend checks ‖ backend tests      (fastTestsPlan.ts)
 *   plan            what a trigger runs and why                   (branchRules.ts, planRun.ts)
 *   check-commits   Conventional Commit subjects of a PR          (conventionalCommits.ts)
 */
import { argument, func, object, type Directory, type File } from "@dagger.io/dagger";
import { CONFIG_FILE } from "./config";
import { readConfig } from "./daggerConfig";
import { runStage } from "./daggerStage";
import { checkCommitRange, planText, runFilteredFastTests } from "./daggerTriggers";
import { planFastTests } from "./fastTestsPlan";

/** The Auto-Author pipeline: fast tests, deploys, E2E, rollback and the plan, one function each. */
@object()
export class Ci {
  /**
   * Run the frontend checks and the backend tests in parallel, and return the summary table.
   * Example: dagger call fast-tests --source ../my-app
   * @param source the application repository (defaults to the embedded example app)
   * @param config path of the pipeline config inside the source; optional, defaults apply when absent
   * @param repo the git repository holding the source, for diffing base and head (defaults to this repository)
   * @param base skip the jobs nothing changed under since this commit (a PR's target or a push's before)
   * @param head the commit to test (defaults to HEAD)
   * @param eventFile a GitHub event payload ($GITHUB_EVENT_PATH) giving the event, branch, base and head
   * @param appPath where the source sits inside the repository, for matching changed paths
   */
  @func()
  async fastTests(
    @argument({ defaultPath: "/examples/app", ignore: ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__", ".git"] }) source: Directory,
    config: string = CONFIG_FILE,
    @argument({ defaultPath: "/", ignore: ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__", ".tools", ".pipeline"] }) repo?: Directory,
    base?: string,
    head?: string,
    eventFile?: File,
    appPath: string = "examples/app",
  ): Promise<string> {
    const c = await readConfig(source, config);
    if (!repo || (!base && !head && !eventFile)) return runStage(source, planFastTests(c));
    return runFilteredFastTests(source, c, { base, head, eventFile }, repo, appPath);
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

  /**
   * Print what a trigger would run and why: stages, blockers, and the jobs path filtering skips.
   * Example: dagger call plan --event push --branch develop
   * @param event the GitHub event: pull_request, push, workflow_run, workflow_dispatch or schedule
   * @param branch the branch pushed, or a pull request's head branch
   * @param source the application repository, for its config (defaults to the embedded example app)
   * @param repo the git repository, for diffing base and head (defaults to this repository)
   * @param changedPaths changed paths, relative to the repository root (instead of base/head)
   * @param base diff from this commit to find the changed paths
   * @param head diff up to this commit (defaults to HEAD)
   * @param stage for workflow_dispatch: the stage requested
   * @param json print the plan as JSON data instead of text
   * @param appPath where the source sits inside the repository
   * @param config path of the pipeline config inside the source
   */
  @func()
  async plan(
    event: string,
    branch: string,
    @argument({ defaultPath: "/examples/app", ignore: ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__", ".git"] }) source: Directory,
    @argument({ defaultPath: "/", ignore: ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__", ".tools", ".pipeline"] }) repo: Directory,
    changedPaths?: string[],
    base?: string,
    head?: string,
    stage?: string,
    json: boolean = false,
    appPath: string = "examples/app",
    config: string = CONFIG_FILE,
  ): Promise<string> {
    const c = await readConfig(source, config);
    return planText({ event, branch, stage, changedPaths, prefix: appPath }, { base, head }, repo, c, json);
  }

  /**
   * Check that every commit between base and head has a Conventional Commit subject; fail listing those that do not.
   * Example: dagger call check-commits --base origin/develop --head HEAD
   * @param base the pull request's target branch or its sha
   * @param head the pull request's head (defaults to HEAD)
   * @param repo the git repository (defaults to this repository)
   */
  @func()
  async checkCommits(base: string, @argument({ defaultPath: "/", ignore: ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__", ".tools", ".pipeline"] }) repo: Directory, head: string = "HEAD"): Promise<string> {
    return checkCommitRange(base, head, repo);
  }
}
