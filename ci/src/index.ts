/**
 * The Auto-Author CI/CD pipeline. Each function plans a stage as plain data
 * (config.ts, *Job.ts, *Plan.ts) and runs it on the engine (dagger*.ts); the
 * host runner in scripts/ runs the very same plan as local processes.
 *
 *   fast-tests      Tier 1: frontend checks ‖ backend tests      (fastTestsPlan.ts)
 *   plan            what a trigger runs and why                   (branchRules.ts, planRun.ts)
 *   check-commits   Conventional Commit subjects of a PR          (conventionalCommits.ts)
 *   e2e             Tier 3: Playwright shards, merged report      (e2ePlan.ts, e2eShards.ts, daggerE2e.ts)
 */
import { argument, func, object, type Directory, type File, type Secret } from "@dagger.io/dagger";
import { CONFIG_FILE } from "./config";
import { readConfig } from "./daggerConfig";
import { e2eStaging, runE2e } from "./daggerE2e";
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

  /**
   * Run Playwright in N parallel shards against staging, merge one report, add the backend E2E, and return the report directory.
   * Example: dagger call e2e --shards 4 --base-url https://staging.example.com --api-url https://api.staging.example.com export --path e2e-report
   * The directory holds html/ (open html/index.html), results.json, junit.xml, summary.txt, summary.json and `status` (passed or failed), also when tests fail.
   * @param baseUrl the deployed frontend, e.g. https://staging.example.com
   * @param apiUrl the deployed API, e.g. https://api.staging.example.com
   * @param source the application repository (defaults to the embedded example app)
   * @param shards how many Playwright containers run in parallel; more than the spec files is clamped with a warning
   * @param suite smoke (the @smoke-tagged tests, after each deploy) or full (nightly)
   * @param timings the results.json of a previous run: shards are then balanced by file duration, else Playwright's --shard
   * @param slackWebhook a Slack-compatible incoming webhook URL, notified on failure
   * @param discordWebhook a Discord-compatible webhook URL, notified on failure
   * @param notifySuccess notify the webhooks on success too
   * @param commit the full sha under test; its promotion record is written to promotion/<sha>.json
   * @param readyAttempts how often to try staging before giving up (default from the config: 30)
   * @param readyInterval seconds between readiness attempts (default from the config: 10)
   * @param config path of the pipeline config inside the source
   * @param stagingHost the staging server: the promotion record is also written there, to <staging-base-path>/.dep/e2e/<commit>.json
   * @param stagingUser the SSH login on staging
   * @param stagingBasePath DEPLOY_BASE on staging
   * @param stagingPort the SSH port of staging
   * @param stagingSshKey the SSH private key for staging
   * @param stagingKnownHosts staging's pinned known_hosts line(s); StrictHostKeyChecking=yes
   */
  @func({ cache: "never" })
  async e2e(
    baseUrl: string,
    apiUrl: string,
    @argument({ defaultPath: "/examples/app", ignore: ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__", "**/.e2e", ".git"] }) source: Directory,
    shards: number = 4,
    suite: string = "full",
    timings?: File,
    slackWebhook?: Secret,
    discordWebhook?: Secret,
    notifySuccess: boolean = false,
    commit?: string,
    readyAttempts?: number,
    readyInterval?: number,
    config: string = CONFIG_FILE,
    stagingHost?: string,
    stagingUser: string = "deploy",
    stagingBasePath?: string,
    stagingPort: number = 22,
    stagingSshKey?: Secret,
    stagingKnownHosts?: Secret,
  ): Promise<Directory> {
    const webhooks = { slack: slackWebhook, discord: discordWebhook };
    const staging = e2eStaging({ host: stagingHost, user: stagingUser, basePath: stagingBasePath, port: stagingPort, sshKey: stagingSshKey, knownHosts: stagingKnownHosts, commit });
    return runE2e({ source, config, shards, suite, baseUrl, apiUrl, timings, readyAttempts, readyInterval, commit, webhooks, notifySuccess, staging });
  }
}
