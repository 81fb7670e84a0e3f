/** end-to-end, end-to-end-shard, end-to-end-merge: Playwright shards, merged report, backend E2E. */
import { Option, type Command } from "commander";
import { MAX_SHARDS, ShardCountError } from "../../../ci/src/plan/e2e/shards";
import { readConfig } from "../config";
import { runE2e, type E2eFlags } from "../e2e/run";
import { runE2eMerge, runE2eShard } from "../e2e/split";
import { runE2eVerdict } from "../e2e/verdict";
import { runAcceptBaselines } from "../e2e/acceptBaselines";
import { sourceAndConfig, withSourceAndConfig } from "./options";
import { bounded, existing, httpUrl, oneOf, writable } from "./values";

const SUITES = ["full", "smoke"] as const;
const RECORDS = ["auto", "local", "staging"] as const;

type Opts = Record<string, string | number | boolean | undefined> & { source: string; config: string };

/** Register the one-machine run, and the shard and merge commands of a run split across machines. */
export function addE2e(program: Command, run: (code: number) => void): void {
  const e2e = common(program.command("end-to-end").description("Playwright in --shards N, merged report, backend E2E"))
    .addOption(
      new Option("--shards <n>", `how many Playwright shards, 1..${MAX_SHARDS} (default: e2e.shards)`).argParser(
        shardCount,
      ),
    )
    .addOption(stateDir())
    .addOption(commit())
    .option("--notify-success", "notify on a green run too", false)
    .addOption(record());
  e2e.action(async (o: Opts) => run(await withConfig(o, runE2e)));
  const shard = common(program.command("end-to-end-shard").description("one shard of end-to-end's plan, its blob zip"))
    .addOption(count("--index <i>", "which shard, from 1"))
    .addOption(count("--total <n>", "how many shards the run has (default 4)"))
    .addOption(new Option("--out <dir>", "where the shard's blob zip goes").argParser(writable("--out", "directory")));
  shard.action(async (o: Opts) => run(await withConfig(o, runE2eShard)));
  const merge = common(program.command("end-to-end-merge").description("merge the shards' blob zips into the report"))
    .addOption(new Option("--blobs <dir>", "the shards' blob zips").argParser(existing("--blobs", "directory")))
    .addOption(count("--total <n>", "how many shards the run has (default 4)"))
    .addOption(stateDir())
    .addOption(commit())
    .option("--notify-success", "notify on a green run too", false)
    .addOption(record());
  merge.action(async (o: Opts) => run(await withConfig(o, runE2eMerge)));
  program
    .command("end-to-end-verdict")
    .description("exit 1 with the summary when the report's status is failed (what end-to-end wrote)")
    .option("--report <dir>", "the report directory (default .pipeline/e2e-report)")
    .action((o: { report?: string }) => run(runE2eVerdict(o.report)));
  withSourceAndConfig(
    program
      .command("accept-baselines")
      .description("take the screenshots a red visual check left in an E2E report as the new baselines"),
  )
    .option("--report <dir>", "the report directory (default .pipeline/e2e-report)")
    .action(async (o: Opts & { report?: string }) => {
      const { source, config } = sourceAndConfig(o);
      run(runAcceptBaselines(o.report, source, await readConfig(source, config)));
    });
}

/** The options every E2E command takes: where the app is, the suite, timings and readiness. */
function common(cmd: Command): Command {
  return withSourceAndConfig(cmd)
    .addOption(new Option("--suite <name>", "which tests").choices(SUITES).argParser(oneOf("--suite", SUITES)))
    .addOption(
      new Option(
        "--base-url <url>",
        "the deployed frontend (with --api-url); else the example app is started locally",
      ).argParser(httpUrl("--base-url")),
    )
    .addOption(new Option("--api-url <url>", "the deployed backend").argParser(httpUrl("--api-url")))
    .addOption(new Option("--timings <file>", "a previous merged report").argParser(existing("--timings", "file")))
    .addOption(
      new Option("--ready-attempts <n>", "readiness probes").argParser(
        bounded("--ready-attempts", "e2e.readyAttempts"),
      ),
    )
    .addOption(
      new Option("--ready-interval <s>", "seconds between probes").argParser(
        bounded("--ready-interval", "e2e.readyIntervalSeconds"),
      ),
    );
}

/** The commit whose promotion record end-to-end and end-to-end-merge write. */
function commit(): Option {
  return new Option("--commit <sha>", "the full sha the promotion record is for (default: HEAD of --source)");
}

function count(flags: string, description: string): Option {
  const flag = flags.split(" ")[0];
  return new Option(flags, `${description}, 1..${MAX_SHARDS}`).argParser(bounded(flag, "e2e.shards"));
}

/** The same refusal, and message, as the plan's own check of a shard count. */
function shardCount(v: string): number {
  const n = /^[0-9]{1,9}$/.test(v) ? Number(v) : NaN;
  if (n >= 1 && n <= MAX_SHARDS) return n;
  throw new ShardCountError(v);
}

function stateDir(): Option {
  return new Option(
    "--state-dir <dir>",
    "where the report and local promotion records go (default .pipeline)",
  ).argParser(writable("--state-dir", "directory"));
}

function record(): Option {
  return new Option("--record <where>", "where the promotion record goes")
    .choices(RECORDS)
    .argParser(oneOf("--record", RECORDS));
}

/** The command's flags in the shape the E2E commands read, after the config is checked. */
async function withConfig(
  o: Opts,
  command: (f: E2eFlags, source: string, c: Awaited<ReturnType<typeof readConfig>>) => Promise<number>,
): Promise<number> {
  const { source, config } = sourceAndConfig(o);
  const s = (v: unknown) => (v === undefined ? undefined : String(v));
  const flags: E2eFlags = {
    shards: s(o.shards),
    suite: s(o.suite),
    baseUrl: s(o.baseUrl),
    apiUrl: s(o.apiUrl),
    timings: s(o.timings),
    readyAttempts: s(o.readyAttempts),
    readyInterval: s(o.readyInterval),
    stateDir: s(o.stateDir),
    commit: s(o.commit),
    notifySuccess: o.notifySuccess === true,
    record: s(o.record),
    index: s(o.index),
    total: s(o.total),
    out: s(o.out),
    blobs: s(o.blobs),
  };
  return command(flags, source, await readConfig(source, config));
}
