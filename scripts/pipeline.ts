/**
 * The host runner: the same plans as the Dagger module (ci/src), run as local processes.
 *   npm run pipeline -- fast-tests [--source DIR] [--config FILE] [--dry-run]
 *   npm run pipeline -- frontend-checks | backend-tests   (one job of fast-tests)
 *   fast-tests also takes --base/--head or --event-file ($GITHUB_EVENT_PATH) to skip jobs nothing touched
 *   npm run pipeline -- plan --event push --branch develop [--changed PATH]... [--json]
 *   npm run pipeline -- check-commits --base origin/develop [--head HEAD]
 *   npm run pipeline -- staging-server start|stop|status; deploy-staging | deploy-production | rollback (see
 * scripts/host/deploy.ts)
 *   npm run pipeline -- end-to-end-shard --index I --total N --out DIR --base-url U --api-url A; end-to-end-merge
 * --blobs DIR --total N --base-url U --api-url A (one shard per machine, then the merge)
 *   npm run pipeline -- end-to-end [--shards 4] [--suite smoke|full] [--base-url U --api-url A] [--timings FILE]
 * [--commit SHA] [--record auto|local|staging]
 * The command names are the `dagger call` ones; e2e, e2e-shard and e2e-merge still work, with a deprecation note.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { CONFIG_FILE } from "../ci/src/plan/config/defaults";
import { planFastTests } from "../ci/src/plan/fastTests/stage";
import type { StagePlan } from "../ci/src/plan/job";
import { selectFastTests } from "../ci/src/plan/fastTests/selection";
import type { JobResult } from "../ci/src/plan/report/summary";
import { readConfig } from "./host/config";
import { coverageDrops, sendStageAlerts } from "./host/stageAlerts";
import { initCommand } from "./host/init";
import { checkCommitsCommand, planCommand, type ToolFlags } from "./host/triggers";
import { resolveTrigger } from "./host/triggers";
import { reportStage } from "./host/report";
import { runHostStage } from "./host/stage";
import { DEPLOY_OPTIONS, DEPLOY_TOOLS } from "./host/deploy";
import { exitCodeOf, isExpected } from "../ci/src/plan/errors";
import { e2eCommand, type E2eFlags } from "./host/e2e/run";
import { e2eMergeCommand, e2eShardCommand } from "./host/e2e/split";
import { stagingCommitCommand } from "./host/stagingCommit";

const DEFAULT_SOURCE = resolve(import.meta.dirname, "../examples/app");

const COMMANDS: Record<string, { describe: string; plan: (dir: string, config: string) => Promise<StagePlan> }> = {
  "fast-tests": {
    describe: "frontend checks and backend tests in parallel",
    plan: async (d, c) => planFastTests(await readConfig(d, c)),
  },
  "frontend-checks": {
    describe: "the frontend job alone",
    plan: async (d, c) => planFastTests(await readConfig(d, c), "frontend"),
  },
  "backend-tests": {
    describe: "the backend job alone",
    plan: async (d, c) => planFastTests(await readConfig(d, c), "backend"),
  },
};

const TOOLS: Record<
  string,
  { describe: string; run: (flags: ToolFlags, dir: string, config: string) => Promise<number> }
> = {
  plan: {
    describe: "what would run for --event/--branch and why (--json for data)",
    run: async (f, d, c) => planCommand(f, d, await readConfig(d, c)),
  },
  "check-commits": {
    describe: "Conventional Commit subjects between --base and --head",
    run: (f, d) => checkCommitsCommand(f, d),
  },
  init: {
    describe: "guess --source's pipeline.yaml from its files and write it, saying why (--force overwrites)",
    run: (f, d) => initCommand(d, (f as { force?: boolean }).force === true),
  },
  ...DEPLOY_TOOLS,
  "staging-commit": {
    describe: "print the full sha of staging's current release (what E2E tests and production promotes)",
    run: () => stagingCommitCommand(),
  },
  "end-to-end": {
    describe:
      "Playwright in --shards N, merged report, backend E2E (--base-url/--api-url, else the example app locally)",
    run: async (f, d, c) => e2eCommand(f.e2e ?? {}, d, await readConfig(d, c)),
  },
  "end-to-end-shard": {
    describe: "one shard of end-to-end's plan (--index I --total N), its blob zip into --out DIR",
    run: async (f, d, c) => e2eShardCommand(f.e2e ?? {}, d, await readConfig(d, c)),
  },
  "end-to-end-merge": {
    describe: "merge the shards' blob zips in --blobs DIR into end-to-end's report, summary and record",
    run: async (f, d, c) => e2eMergeCommand(f.e2e ?? {}, d, await readConfig(d, c)),
  },
};

/**
 * The names before the functions lost their digits (the Dagger CLI spells `e2e` as `e-2-e`, dagger/dagger#7276): old
 * scripts keep working.
 */
const DEPRECATED: Record<string, string> = {
  e2e: "end-to-end",
  "e2e-shard": "end-to-end-shard",
  "e2e-merge": "end-to-end-merge",
};

function usage(): string {
  const lines = Object.entries({ ...COMMANDS, ...TOOLS }).map(([n, c]) => `  ${n.padEnd(16)} ${c.describe}`);
  return [
    "usage: npm run pipeline -- <command> [--source DIR] [--config FILE] [--dry-run]",
    "commands:",
    ...lines,
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      source: { type: "string", default: DEFAULT_SOURCE },
      config: { type: "string", default: CONFIG_FILE },
      "dry-run": { type: "boolean", default: false },
      force: { type: "boolean", default: false },
      "report-dir": { type: "string", default: ".pipeline/reports" },
      base: { type: "string" },
      head: { type: "string" },
      "event-file": { type: "string" },
      event: { type: "string" },
      branch: { type: "string" },
      stage: { type: "string" },
      changed: { type: "string", multiple: true },
      json: { type: "boolean", default: false },
      ...DEPLOY_OPTIONS,
      shards: { type: "string" },
      suite: { type: "string" },
      "base-url": { type: "string" },
      "api-url": { type: "string" },
      timings: { type: "string" },
      "ready-attempts": { type: "string" },
      "ready-interval": { type: "string" },
      "state-dir": { type: "string" },
      commit: { type: "string" },
      "notify-success": { type: "boolean", default: false },
      record: { type: "string" },
      index: { type: "string" },
      total: { type: "string" },
      out: { type: "string" },
      blobs: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const name = commandName(positionals[0]);
  if (values.help || !name) {
    console.log(usage());
    return values.help ? 0 : 2;
  }
  const flags: ToolFlags = { ...values, eventFile: values["event-file"], e2e: e2eFlags(values) };
  const tool = TOOLS[name];
  if (tool) return tool.run(flags, resolve(values.source), values.config);
  const command = COMMANDS[name];
  if (!command) {
    console.error(`unknown command "${name}"\n${usage()}`);
    return 2;
  }
  const source = resolve(values.source);
  let stage = await command.plan(source, values.config);
  let skipped: JobResult[] = [];
  const trigger = await resolveTrigger(flags, source);
  if (trigger.resolution) {
    const selected = selectFastTests(
      stage,
      { ...trigger, resolution: trigger.resolution },
      await readConfig(source, values.config),
    );
    for (const w of selected.warnings) console.error(`warning: ${w}`);
    ({ stage, skipped } = selected);
  }
  const result = await runHostStage(stage, source, { dryRun: values["dry-run"], skipped });
  if (values["dry-run"]) {
    for (const s of skipped) console.error(`skipped ${s.job}: ${s.reason}`);
    for (const c of result.planned) console.log(JSON.stringify(c));
    return 0;
  }
  console.log(`\n${result.summary}\n\n${reportStage(result.metrics, result.results, resolve(values["report-dir"]))}`);
  if (!result.passed) {
    for (const r of result.results.filter((x) => x.status === "failed")) {
      console.error(`\n${r.job} failed at ${r.failedStep}:\n${r.reason ?? ""}`);
      console.error(
        `re-run it alone: npm run pipeline -- ${r.job === "frontend" ? "frontend-checks" : "backend-tests"} --source ${source}`,
      );
    }
  }
  await sendStageAlerts(coverageDrops(result.results, stage.metrics.coverageMin));
  return result.passed ? 0 : 1;
}

/** The command a name stands for, saying so on stderr when the name is a deprecated alias. */
function commandName(name: string | undefined): string | undefined {
  const now = name === undefined ? undefined : DEPRECATED[name];
  if (!now) return name;
  console.error(`note: "${name}" is deprecated; run "npm run pipeline -- ${now}" (the \`dagger call ${now}\` name)`);
  return now;
}

function e2eFlags(v: Record<string, string | boolean | string[] | undefined>): E2eFlags {
  const s = (k: string) => v[k] as string | undefined;
  return {
    shards: s("shards"),
    suite: s("suite"),
    baseUrl: s("base-url"),
    apiUrl: s("api-url"),
    timings: s("timings"),
    readyAttempts: s("ready-attempts"),
    readyInterval: s("ready-interval"),
    stateDir: s("state-dir"),
    commit: s("commit"),
    notifySuccess: v["notify-success"] === true,
    record: s("record"),
    index: s("index"),
    total: s("total"),
    out: s("out"),
    blobs: s("blobs"),
  };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    // InputError (2) and StageFailure (1) carry their fix in the message; anything else is a bug: show the stack.
    console.error(isExpected(e) ? e.message : e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(exitCodeOf(e));
  },
);
