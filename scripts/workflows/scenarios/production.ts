/** Deploy Production by hand without a green record: refused with the fix, or forced with a reason that is logged. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deployProduction, revision, type Chain } from "../hops";
import { headOf, pushSide } from "../world";
import { releases } from "./checks";

export async function noRecord(c: Chain, sha: string): Promise<void> {
  const before = revision(c.production);
  const p = await deployProduction(c, { commit: sha });
  const log = readFileSync(p.run.log, "utf8");
  c.check(
    "no record: Deploy Production refuses a commit without an E2E record, naming the fix",
    p.finished.conclusion === "failure" &&
      /no E2E record for commit/.test(log) &&
      /--force-reason/.test(log) &&
      revision(c.production) === before,
  );
}

/**
 * What each runner says about a force reason, to match in act's log. The host runner (behind the stand-in) refuses a
 * blank one with exit 2 and names the flag; the module, through the real CLI, throws its DeployInputError on
 * `forceReason`, and `dagger call` exits 1 for every error a function throws. A skipped gate is worded per runner too.
 */
export function forceWording(
  realCli: boolean,
  sha: string,
  reason: string,
): { blankExit: number; blank: RegExp; skipped: string } {
  return realCli
    ? {
        blankExit: 1,
        blank: /input error: forceReason is empty\. Fix: say why E2E is skipped: --force-reason "hotfix for INC-123"/,
        skipped: `E2E gate skipped for ${sha.slice(0, 7)}: --force-reason "${reason}"`,
      }
    : {
        blankExit: 2,
        blank: /--force-reason " {3}" is empty; say why: --force-reason "hotfix for INC-123"/,
        skipped: `E2E gate skipped: --force-reason "${reason}"`,
      };
}

/** The force-reason input: blank is refused with the fix before anything is built; a reason promotes and is logged. */
export async function force(c: Chain, sha: string): Promise<void> {
  const before = revision(c.production);
  const reason = "hotfix for INC-7, replayed: E2E skipped on purpose";
  const says = forceWording(!!c.setup.realDagger, sha, reason);
  const blank = await deployProduction(c, { commit: sha, "force-reason": "   " });
  c.check(
    `force: a blank force-reason is refused (exit ${says.blankExit}), saying what to type, production unchanged`,
    blank.finished.conclusion === "failure" &&
      blank.run.calls.some((x) => x.fn === "deploy-production" && x.exit === says.blankExit) &&
      says.blank.test(readFileSync(blank.run.log, "utf8")) &&
      revision(c.production) === before,
  );
  const p = await deployProduction(c, { commit: sha, "force-reason": reason });
  const log = readFileSync(p.run.log, "utf8");
  c.check(
    "force: with a reason, Deploy Production promotes the commit without a record and says the gate was skipped",
    p.finished.conclusion === "success" && revision(c.production) === sha && log.includes(says.skipped),
  );
  c.check(
    "force: production's release log records the reason with the commit",
    releases(c.production).some((e) => e.commit === sha && e.status === "deployed" && e.reason === `forced: ${reason}`),
  );
}

/** What the foreign commit's own pipeline prints first, host runner and module alike, if it ever runs. */
const FOREIGN = "FOREIGN-PIPELINE-RAN-WITH-THE-PRODUCTION-SECRETS";

/**
 * A commit no workflow ran, dispatched by sha: a side branch here, as a fork's pull request head is a sha the
 * repository holds. Its pipeline (package.json's `pipeline` script for the stand-in, ci/src for the module) announces
 * itself; Deploy Production must run main's instead, which finds no E2E record for it and refuses.
 */
export async function foreign(c: Chain): Promise<void> {
  const before = revision(c.production);
  const pkg = JSON.parse(readFileSync(join(c.git.dev, "package.json"), "utf8")) as { scripts: Record<string, string> };
  pkg.scripts.pipeline = `echo ${FOREIGN} >&2; ${pkg.scripts.pipeline}`;
  const index = `${readFileSync(join(c.git.dev, "ci/src/index.ts"), "utf8")}\nconsole.error("${FOREIGN}");\n`;
  const side = await pushSide(c.git, "pr-head", "feat: a pull request's head whose pipeline skips the gate", {
    "package.json": `${JSON.stringify(pkg, null, 2)}\n`,
    "ci/src/index.ts": index,
  });
  const p = await deployProduction(c, { commit: side.sha });
  const log = readFileSync(p.run.log, "utf8");
  const call = p.run.calls.find((x) => x.fn === "deploy-production");
  // The stand-in also says which checkout's pipeline ran; act's log of the real CLI shows only the app's checkout.
  const main = await headOf(c.git.main);
  c.check(
    "foreign commit: Deploy Production runs main's pipeline on the commit's app, none of the commit's own code",
    call?.head === side.sha && (!!c.setup.realDagger || call.pipeline === main) && !log.includes(FOREIGN),
  );
  c.check(
    "foreign commit: main's pipeline finds no E2E record for it and refuses, production unchanged",
    p.finished.conclusion === "failure" && /no E2E record for commit/.test(log) && revision(c.production) === before,
  );
}
