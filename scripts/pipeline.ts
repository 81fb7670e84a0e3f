/**
 * The host runner: the same plans as the Dagger module (ci/src), run as local processes.
 *   npm run pipeline -- fast-tests [--source DIR] [--config FILE] [--dry-run]
 *   npm run pipeline -- frontend-checks | backend-tests   (one job of fast-tests)
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { CONFIG_FILE } from "../ci/src/config";
import { planFastTests } from "../ci/src/fastTestsPlan";
import { ConfigError } from "../ci/src/loadConfig";
import type { StagePlan } from "../ci/src/plan";
import { readHostConfig } from "./host/config";
import { MissingToolError } from "./host/preflight";
import { runHostStage } from "./host/runStage";

const DEFAULT_SOURCE = resolve(import.meta.dirname, "../examples/app");

const COMMANDS: Record<string, { describe: string; plan: (dir: string, config: string) => StagePlan }> = {
  "fast-tests": { describe: "frontend checks and backend tests in parallel", plan: (d, c) => planFastTests(readHostConfig(d, c)) },
  "frontend-checks": { describe: "the frontend job alone", plan: (d, c) => planFastTests(readHostConfig(d, c), "frontend") },
  "backend-tests": { describe: "the backend job alone", plan: (d, c) => planFastTests(readHostConfig(d, c), "backend") },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(16)} ${c.describe}`);
  return ["usage: npm run pipeline -- <command> [--source DIR] [--config FILE] [--dry-run]", "commands:", ...lines].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      source: { type: "string", default: DEFAULT_SOURCE },
      config: { type: "string", default: CONFIG_FILE },
      "dry-run": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [name] = positionals;
  if (values.help || !name) {
    console.log(usage());
    return values.help ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`unknown command "${name}"\n${usage()}`);
    return 2;
  }
  const source = resolve(values.source);
  const stage = command.plan(source, values.config);
  const result = await runHostStage(stage, source, { dryRun: values["dry-run"] });
  if (values["dry-run"]) {
    for (const c of result.planned) console.log(JSON.stringify(c));
    return 0;
  }
  console.log(`\n${result.summary}`);
  if (!result.passed) {
    for (const r of result.results.filter((x) => x.status === "failed")) {
      console.error(`\n${r.job} failed at ${r.failedStep}:\n${r.reason ?? ""}`);
      console.error(`re-run it alone: npm run pipeline -- ${r.job === "frontend" ? "frontend-checks" : "backend-tests"} --source ${source}`);
    }
  }
  return result.passed ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof ConfigError || e instanceof MissingToolError) {
      console.error(e.message);
      process.exit(2);
    }
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
