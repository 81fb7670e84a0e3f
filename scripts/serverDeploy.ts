#!/usr/bin/env -S npx tsx
/**
 * Manual deployment on the server itself (emergency path), the same tasks as the pipeline:
 *   npx tsx scripts/serverDeploy.ts --base /srv/autoauthor --artifact /tmp/release --commit <sha> \
 *     [--keep 5] [--watch-seconds 0]
 * The artifact is a release built by the pipeline (frontend standalone + backend + ecosystem.config.cjs).
 * App secrets stay as they are in $BASE/shared/env. Every flag is checked before the lock is taken (exit 2 with the
 * fix); SIGINT and SIGTERM run the failure path, so the lock is released.
 */
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { defaultAfterSwitch, planDeploy } from "../ci/src/plan/deploy/stage";
import { defaultWatchPolicy } from "../ci/src/plan/deploy/watch";
import { exitCodeOf, isExpected } from "../ci/src/plan/errors";
import { checkArtifact, checkArtifactCommit } from "./host/artifact";
import { CliInputError } from "./host/cli/errors";
import { bounded, existing } from "./host/cli/values";
import { trapSignals } from "./deploy/interrupted";
import { deploy } from "./deploy/recipe";
import { localRemote } from "./deploy/remote";

const USAGE =
  "npx tsx scripts/serverDeploy.ts --base DEPLOY_BASE --artifact DIR --commit SHA [--keep 5] [--watch-seconds 0]";

function parse(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        base: { type: "string" },
        artifact: { type: "string" },
        commit: { type: "string" },
        keep: { type: "string", default: "5" },
        "watch-seconds": { type: "string", default: "0" },
      },
    }));
  } catch (e) {
    throw new CliInputError(`${(e as Error).message.split("\n")[0]}; usage: ${USAGE}`);
  }
  if (!values.base || !values.artifact || !values.commit)
    throw new CliInputError(`--base, --artifact and --commit are required; usage: ${USAGE}`);
  return {
    base: existing("--base", "directory")(values.base),
    artifact: checkArtifact(existing("--artifact", "directory")(values.artifact)),
    commit: values.commit,
    keep: bounded("--keep", "deploy.keep")(values.keep),
    // The same bound as deploy.watch.windowSeconds in pipeline.yaml: a window that never ends would hold the lock.
    watchSeconds: bounded("--watch-seconds", "deploy.watch.windowSeconds")(values["watch-seconds"]),
  };
}

async function main(): Promise<void> {
  const a = parse(process.argv.slice(2));
  const plan = planDeploy({
    target: { name: "local", host: "localhost", port: 22, user: "local", basePath: a.base },
    commit: a.commit,
    now: new Date(),
    keep: a.keep,
    afterSwitch: { ...defaultAfterSwitch(), watch: { ...defaultWatchPolicy(), windowSeconds: a.watchSeconds } },
  });
  checkArtifactCommit(a.artifact, a.commit);
  const log = (s: string) => console.log(`[deploy] ${s}`);
  const traps = trapSignals(log);
  try {
    await deploy({
      remote: localRemote(),
      base: a.base,
      plan,
      artifactDir: a.artifact,
      secrets: {},
      by: `${process.env.USER ?? "?"}@${hostname()} (manual)`,
      log,
      abort: traps.signal,
      state: { locked: false, created: false, switched: false, startedAt: Date.now() },
    });
    log(`${plan.releaseId} is live`);
  } finally {
    traps.dispose();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(isExpected(e) ? e.message : e);
    process.exit(exitCodeOf(e));
  },
);
