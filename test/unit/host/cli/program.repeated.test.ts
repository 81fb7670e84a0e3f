import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../../ci/src/plan/errors";
import { buildProgram } from "../../../../scripts/host/cli/program";

/** The options the command's action would receive; every action is replaced, so nothing runs. */
async function parsed(args: string[]): Promise<Record<string, unknown>> {
  let opts: Record<string, unknown> = {};
  const program = buildProgram(() => {});
  for (const c of program.commands) c.action((o: Record<string, unknown>) => void (opts = o));
  await program.parseAsync(args, { from: "user" });
  return opts;
}

/**
 * A flag that takes one value, given twice with different values (a command line edited, or a flag appended to a
 * script's): the last one won without a word, so `rollback --target staging --list … --target production` rolled back
 * production (the tenth hostile run). Repeatable flags (--changed, --release-log) still add up.
 */
describe("a one-value flag given twice", () => {
  it.each([
    [
      ["rollback", "--target", "staging", "--target", "production"],
      /--target is given twice \("staging", then "production"\)/,
    ],
    [["deploy-staging", "--commit", "a".repeat(40), "--commit", "b".repeat(40)], /--commit is given twice/],
    [["deploy-production", "--force-reason", "INC-1", "--force-reason=INC-2"], /--force-reason is given twice/],
    [["end-to-end", "--shards", "2", "--shards", "3"], /--shards is given twice/],
  ])("refuses %j with exit 2 naming both values, before anything runs", async (args, message) => {
    const refused = parsed(args);
    await expect(refused).rejects.toThrow(InputError);
    await expect(refused).rejects.toThrow(message);
  });

  it("takes the same value twice, and repeatable flags each time", async () => {
    expect((await parsed(["rollback", "--target", "production", "--target", "production"])).target).toBe("production");
    expect((await parsed(["plan", "--changed", "a", "--changed", "b"])).changed).toEqual(["a", "b"]);
    const dir = mkdtempSync(join(tmpdir(), "repeated-"));
    for (const f of ["a.jsonl", "b.jsonl"]) writeFileSync(join(dir, f), "");
    const logs = (
      await parsed(["metrics", "--release-log", join(dir, "a.jsonl"), "--release-log", join(dir, "b.jsonl")])
    ).releaseLog as string[];
    expect(logs).toHaveLength(2);
  });
});
