#!/usr/bin/env -S npx tsx
/**
 * Manual rollback on the server itself (emergency path):
 *   npx tsx scripts/serverRollback.ts --base /srv/autoauthor [--to <release id>]
 * Goes back to the previous good release (never a BAD one, never one edited since its deploy) and marks the abandoned
 * one BAD. Flags are checked before the lock (exit 2 with the fix); SIGINT and SIGTERM still release the lock.
 */
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { validateReleaseId } from "../ci/src/plan/deploy/releaseId";
import { defaultHealthPolicy, DEFAULT_KEEP } from "../ci/src/plan/deploy/stage";
import { exitCodeOf, isExpected } from "../ci/src/plan/errors";
import { CliInputError } from "./host/cli/errors";
import { existing } from "./host/cli/values";
import { trapSignals } from "./deploy/interrupted";
import { localRemote } from "./deploy/remote";
import { rollback } from "./deploy/rollback";

const USAGE = "npx tsx scripts/serverRollback.ts --base DEPLOY_BASE [--to RELEASE_ID]";

function parse(argv: string[]): { base: string; to?: string } {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { base: { type: "string" }, to: { type: "string" } } }));
  } catch (e) {
    throw new CliInputError(`${(e as Error).message.split("\n")[0]}; usage: ${USAGE}`);
  }
  if (!values.base) throw new CliInputError(`--base is required; usage: ${USAGE}`);
  return {
    base: existing("--base", "directory")(values.base),
    to: values.to === undefined ? undefined : validateReleaseId(values.to),
  };
}

async function main(): Promise<string> {
  const { base, to } = parse(process.argv.slice(2));
  const log = (s: string) => console.log(`[rollback] ${s}`);
  const traps = trapSignals(log);
  try {
    return await rollback(
      {
        remote: localRemote(),
        base,
        plan: { releaseId: "", commit: "", keep: DEFAULT_KEEP, health: defaultHealthPolicy() },
        artifactDir: "",
        secrets: {},
        by: `${process.env.USER ?? "?"}@${hostname()} (manual)`,
        log,
        abort: traps.signal,
        state: { locked: false, created: false, switched: false },
      },
      to,
    );
  } finally {
    traps.dispose();
  }
}

main().then(
  (id) => {
    console.log(`[rollback] current is ${id}`);
    process.exit(0);
  },
  (e: unknown) => {
    console.error(isExpected(e) ? e.message : e);
    process.exit(exitCodeOf(e));
  },
);
