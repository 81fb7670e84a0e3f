import { describe, expect, it } from "vitest";
import { checkGateInputs } from "../../../../ci/src/plan/deploy/call";
import { nonBlank } from "../../../../scripts/host/cli/values";
import { forceWording } from "../../../../scripts/workflows/scenarios/production";

const SHA = "4fd1bd1db4239fa65829c4e8f3c906a25a5d05b0";
const REASON = "hotfix for INC-7";
/** The message a thrower gives for a blank reason. */
const thrown = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("did not throw");
};
const moduleSays = thrown(() => checkGateInputs({ commit: SHA, forceReason: "   ", stagingHost: "10.87.0.1" }));
const hostSays = thrown(() => nonBlank("--force-reason", "hotfix for INC-123")("   "));

describe("forceWording", () => {
  it("expects the module's refusal and exit 1 from the real CLI, and not the host runner's", () => {
    const w = forceWording(true, SHA, REASON);
    expect(w.blankExit).toBe(1);
    expect(w.blank.test(`  | Error: ${moduleSays} [traceparent:ef98]`)).toBe(true);
    expect(w.blank.test(hostSays)).toBe(false);
    expect(w.skipped).toBe(`E2E gate skipped for 4fd1bd1: --force-reason "${REASON}"`);
  });

  it("expects the host runner's refusal and exit 2 behind the stand-in, and not the module's", () => {
    const w = forceWording(false, SHA, REASON);
    expect(w.blankExit).toBe(2);
    expect(w.blank.test(hostSays)).toBe(true);
    expect(w.blank.test(moduleSays)).toBe(false);
    expect(w.skipped).toBe(`E2E gate skipped: --force-reason "${REASON}"`);
  });
});
