import { describe, expect, it } from "vitest";
import { parseActCalls } from "../../../scripts/workflows/actLog";

const C = "c9b560257bd47efd9c24a42cd03a09ee9f8d7c7e";
const M = "3d779d22295316cefe065590c70a95f95af9f2dc";
const E = "\x1b";
/** A job's lines as act prints them: `[Workflow/job   ] text`. */
const job = (name: string, lines: string[]) => lines.map((l) => `[Deploy Production/${name.padEnd(8)}] ${l}`);
const checkout = (sha: string) => [
  "⭐ Run Main actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
  "  | [command]/usr/bin/git log -1 --format=%H",
  `  | ${sha}`,
  "  ✅  Success - Main actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 [3.06s]",
];
/** The real CLI's plain progress of the function call, colours and all (from a real run's log). */
const progress = (fn: string, args: [string, string][]) => [
  `  | ${E}[95m9   : ${E}[0m${E}[90;2m${E}[0m${E}[35mCi${E}[0m.${E}[1m${fn}${E}[0m(`,
  ...args.map(([k, v]) => `  | ${E}[95m9   : ${E}[0m${E}[90;2m┆ ${E}[0m${E}[36m${k}:${E}[0m ${E}[33m"${v}"${E}[0m`),
  `  | ${E}[95m9   : ${E}[0m${E}[90;2m${E}[0m)${E}[2m: String!${E}[0m`,
];

describe("the dagger calls an act log shows", () => {
  it("reads each job's checkout, its dagger call step, the commit argument and the step's result", () => {
    const log = [
      ...job("staging", [
        ...checkout(M),
        "⭐ Run Main dagger call staging-commit",
        "⭐ Run Main tmpout=$(mktemp)",
        "dagger \\", // the step's script, echoed without a job prefix
        ...progress("stagingCommit", [["stagingHost", "10.87.0.1"]]),
        `  | ${C}`, // the function's output is a sha too, but not a checkout's
        "  ✅  Success - Main dagger call staging-commit [41.2s]",
      ]),
      ...job("deploy", [
        ...checkout(C),
        "⭐ Run Main dagger call deploy-production",
        ...progress("deployProduction", [
          ["host", "10.87.0.1"],
          ["commit", C],
        ]),
        ...progress("inner", [["commit", M]]),
        "exit status 1",
        "  ❌  Failure - Main dagger call deploy-production [15.5s]",
      ]),
    ].join("\n");
    expect(parseActCalls(log)).toEqual([
      { job: "staging", fn: "staging-commit", head: M, exit: 0 },
      { job: "deploy", fn: "deploy-production", commit: C, head: C, exit: 1 },
    ]);
  });

  it("keeps interleaved jobs apart and takes act's exit status for a failed step (1 without one)", () => {
    const shard = (i: number, l: string[]) => l.map((x) => `[E2E Staging/e2e-shard-${i}] ${x}`);
    const log = [
      ...shard(1, checkout(C)),
      ...shard(2, checkout(M)),
      ...shard(1, ["⭐ Run Main dagger call end-to-end-shard"]),
      ...shard(2, ["⭐ Run Main dagger call end-to-end-shard", "exit status 2"]),
      ...shard(1, ["  ❌  Failure - Main dagger call end-to-end-shard [1s]"]),
      ...shard(2, ["  ❌  Failure - Main dagger call end-to-end-shard [1s]"]),
    ].join("\n");
    expect(parseActCalls(log)).toEqual([
      { job: "e2e-shard-1", fn: "end-to-end-shard", head: C, exit: 1 },
      { job: "e2e-shard-2", fn: "end-to-end-shard", head: M, exit: 2 },
    ]);
  });

  it("finds no call in a job whose dagger step never ran (a skipped job, a failed checkout)", () => {
    expect(parseActCalls(job("deploy", [...checkout(C), "🏁  Job failed"]).join("\n"))).toEqual([]);
  });
});
