#!/usr/bin/env -S npx tsx
/**
 * Manual rollback on the server itself (emergency path):
 *   npx tsx scripts/serverRollback.ts --base /srv/autoauthor [--to <release id>]
 * Goes back to the previous good release (never a BAD one) and marks the abandoned one BAD.
 */
import { hostname } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { defaultHealthPolicy, DEFAULT_KEEP } from "../ci/src/plan/deploy/stage";
import { localRemote } from "./deploy/remote";
import { rollback } from "./deploy/rollback";

const { values } = parseArgs({ options: { base: { type: "string" }, to: { type: "string" } } });
if (!values.base) {
  console.error("usage: npx tsx scripts/serverRollback.ts --base DEPLOY_BASE [--to RELEASE_ID]");
  process.exit(2);
}
const base = resolve(values.base);
const plan = { releaseId: "", commit: "", keep: DEFAULT_KEEP, health: defaultHealthPolicy() };
const ctx = {
  remote: localRemote(),
  base,
  plan,
  artifactDir: "",
  secrets: {},
  by: `${process.env.USER ?? "?"}@${hostname()} (manual)`,
  log: (s: string) => console.log(`[rollback] ${s}`),
  state: { locked: false, created: false, switched: false },
};
rollback(ctx, values.to).then(
  (id) => console.log(`[rollback] current is ${id}`),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
