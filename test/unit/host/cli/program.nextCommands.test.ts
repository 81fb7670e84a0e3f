import { describe, expect, it } from "vitest";
import { checkPromotion } from "../../../../ci/src/plan/deploy/promotion";
import { InvalidReleaseIdError } from "../../../../ci/src/plan/deploy/releaseId";
import { formatReleaseList } from "../../../../ci/src/plan/deploy/releaseList";
import type { ReleaseLogEntry } from "../../../../ci/src/plan/deploy/releaseLog";
import { InputError } from "../../../../ci/src/plan/errors";
import type { ReleaseState } from "../../../../scripts/deploy/context";
import { rollbackTarget } from "../../../../scripts/deploy/rollback";
import { buildProgram } from "../../../../scripts/host/cli/program";

const A = "20261201T100000Z-aaaaaaa";
const B = "20261202T100000Z-bbbbbbb";
const C = "20261203T100000Z-ccccccc";
const entry = (id: string, status: ReleaseLogEntry["status"]): ReleaseLogEntry => ({
  id,
  commit: id.slice(-7),
  time: "2026-12-03T10:00:00Z",
  status,
  by: "t",
});
const state = (log: ReleaseLogEntry[], current = C): ReleaseState => ({
  existing: [A, B, C],
  current,
  log,
  slotsText: "",
});

/** The message of the InputError `fn` throws; fails the test when it throws none. */
function refusal(fn: () => unknown): string {
  let message: string | undefined;
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) message = e.message;
  }
  expect(message, "an InputError was thrown").toBeDefined();
  return message!;
}

/** deploy-production's refusal of a commit without an E2E record. */
function refusedPromotion(): string {
  const check = checkPromotion(undefined, "3520442e4dc3c5bc938a31806b1e6a4d20cd12bc");
  return check.ok ? "" : check.reason;
}

/** What the deploy and rollback paths print for production, each message naming a next command. */
function productionMessages(): string[] {
  const good = [entry(A, "deployed"), entry(B, "bad"), entry(C, "deployed")];
  return [
    refusal(() => rollbackTarget(state(good), "../x", "production")),
    refusal(() => rollbackTarget(state(good), "20261204T100000Z-ddddddd", "production")),
    refusal(() => rollbackTarget(state(good), B, "production")),
    refusal(() => rollbackTarget(state([entry(C, "deployed")]), undefined, "production")),
    new InvalidReleaseIdError("x", "production").message,
    formatReleaseList("production", { existing: [], log: [] }),
    formatReleaseList("production", { existing: [A, C], current: C, log: good }),
    formatReleaseList("production", { existing: [C], current: C, log: good }),
    refusedPromotion(),
  ];
}

/** Each `npm run pipeline -- …` a message prints, as the words a person types after the `--`. */
function typedCommands(message: string): string[][] {
  return [...message.matchAll(/npm run pipeline -- ([^\n`;,()]+)/g)].map((m) => m[1].trim().split(/\s+/));
}

/** Parse `args` with the real commander program, each command's action replaced so nothing runs. */
async function parse(args: string[]): Promise<void> {
  const program = buildProgram(() => {});
  for (const c of program.commands) c.action(() => {});
  await program.parseAsync(args, { from: "user" });
}

describe("the next commands deploy and rollback messages print for production", () => {
  it("finds a command in every message", () => {
    for (const m of productionMessages()) expect(typedCommands(m), m).not.toEqual([]);
  });

  it("name the production target wherever the command has one", () => {
    for (const words of productionMessages().flatMap(typedCommands)) {
      if (words[0] === "rollback") expect(words.join(" ")).toMatch(/--target production/);
      if (words[0].startsWith("deploy-")) expect(words[0]).toBe("deploy-production");
    }
  });

  it("are accepted as typed by the CLI's own parser", async () => {
    for (const words of productionMessages().flatMap(typedCommands))
      await expect(parse(words)).resolves.toBeUndefined();
  });

  it("catches a command the parser refuses", async () => {
    await expect(parse(["rollback", "--target", "prodution", "--list"])).rejects.toThrow(InputError);
  });
});

describe("rollback --to", () => {
  it.each([["../x"], [""], ["-x"], ["20261203T100000Z-ccccccc/../../etc"], ["20261203T100000Z-CCCCCCC"]])(
    "refuses %j while parsing, naming the list command of the target given after it",
    async (id) => {
      await expect(parse(["rollback", `--to=${id}`, "--target", "production"])).rejects.toThrow(InvalidReleaseIdError);
      await expect(parse(["rollback", "--to", id, "--target", "production"])).rejects.toThrow(
        /is not a release id .*rollback --target production --list/,
      );
    },
  );

  it("accepts a well-formed id", async () => {
    await expect(parse(["rollback", "--to", C])).resolves.toBeUndefined();
  });
});
