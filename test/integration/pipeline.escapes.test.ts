import { describe, expect, it } from "vitest";
import { runPipeline } from "../support/cli";

/** What a user typed is echoed in error messages: its escape sequences must not reach the terminal as such. */
describe("the host runner's error output", () => {
  const cases: [string, string[]][] = [
    ["a target", ["rollback", "--target", "\x1b[31mRED\x1b[0m"]],
    ["an unknown flag", ["deploy-staging", "--\x1b[2Jx"]],
    ["a config path", ["deploy-staging", "--config", "\x1b]0;pwn\x07.yaml"]],
    ["a branch", ["plan", "--event", "push", "--branch", "\x1b[2Jmain"]],
    ["a force reason", ["deploy-production", "--force-reason", "\x1b]0;pwned\x07hotfix", "--commit", "abc1234"]],
    ["a reason on two lines", ["deploy-production", "--force-reason", "hotfix\n\x1b[2J", "--commit", "abc1234"]],
    ["a base ref", ["check-commits", "--base", "\x1b[2Jorigin/main"]],
    ["a head ref", ["check-commits", "--base", "HEAD", "--head", "\x9b2J"]],
    ["a changed path", ["plan", "--event", "push", "--branch", "main", "--changed", "a\x1b[2J.ts"]],
  ];
  for (const [what, args] of cases)
    it(`writes the control characters of ${what} as \\x escapes, exit 2`, async () => {
      const r = await runPipeline(args);
      expect(r.exitCode, r.output).toBe(2);
      // eslint-disable-next-line no-control-regex -- the point is that none is printed
      expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
      expect(r.stderr).toMatch(/\\x1b|\\u001b|\\x9b/);
    }, 60_000);
});
