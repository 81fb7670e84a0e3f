#!/usr/bin/env -S npx tsx
/**
 * The Dagger deploy container's entry point: run the module's typed request (ci/src/plan/deploy/request.ts).
 *   npx tsx scripts/deployRequest.ts /run/deploy/request.json
 */
import { exitCodeOf, isExpected } from "../ci/src/plan/errors";
import { deployRequestCommand } from "./host/deployRequest";

deployRequestCommand(process.argv[2]).then(
  (code) => process.exit(code),
  (e) => {
    console.error(isExpected(e) ? e.message : e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(exitCodeOf(e));
  },
);
