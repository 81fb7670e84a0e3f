#!/usr/bin/env -S npx tsx
/**
 * Manual deployment on the server itself (emergency path), the same tasks as the pipeline:
 *   npx tsx scripts/serverDeploy.ts --base /srv/autoauthor --artifact /tmp/release --commit <sha> [--keep 5]
 * The artifact is a release built by the pipeline (frontend standalone + backend + ecosystem.config.cjs).
 * App secrets stay as they are in $BASE/shared/env.
 */
import { hostname } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { planDeploy } from "../ci/src/plan/deploy/stage";
import { deploy } from "./deploy/recipe";
import { localRemote } from "./deploy/remote";

const { values } = parseArgs({
  options: {
    base: { type: "string" },
    artifact: { type: "string" },
    commit: { type: "string" },
    keep: { type: "string", default: "5" },
  },
});
if (!values.base || !values.artifact || !values.commit) {
  console.error("usage: npx tsx scripts/serverDeploy.ts --base DEPLOY_BASE --artifact DIR --commit SHA [--keep 5]");
  process.exit(2);
}
const plan = planDeploy({
  target: { name: "local", host: "localhost", port: 22, user: "local", basePath: resolve(values.base) },
  commit: values.commit,
  now: new Date(),
  keep: Number(values.keep),
});
const ctx = {
  remote: localRemote(),
  base: resolve(values.base),
  plan,
  artifactDir: resolve(values.artifact),
  secrets: {},
  by: `${process.env.USER ?? "?"}@${hostname()} (manual)`,
  log: (s: string) => console.log(`[deploy] ${s}`),
  state: { locked: false, created: false, switched: false },
};
deploy(ctx).then(
  () => console.log(`[deploy] ${plan.releaseId} is live`),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
