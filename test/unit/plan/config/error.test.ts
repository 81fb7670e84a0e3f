import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../ci/src/plan/config/error";
import { parseConfig } from "../../../../ci/src/plan/config/parse";

/** The message parseConfig refuses `text` with. */
function refusal(text: string): string {
  try {
    parseConfig(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("accepted");
}

// eslint-disable-next-line no-control-regex -- no control character may reach the message
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;

describe("ConfigError: the file's text is shown on one line, as it is, whatever it holds", () => {
  // Both runners: the host prints each line escaped, but a newline still began a line of its own (where a CI log
  // reads `::error::`), and `dagger call` prints the module's message as it is.
  it.each([
    ["a top-level key", '"x\\n::error::forged": 1\n'],
    ["an open map's key (steps)", 'frontend: { steps: { "l\\n::error::forged": "npm run lint" } }\n'],
    ["an env name", 'frontend: { env: { "A\\r::error::forged": "x" } }\n'],
    ["a step wait's name", 'frontend: { after: { "a\\n\\e]0;t\\a": [lint] } }\n'],
    ["a command with shell syntax", 'frontend: { steps: { lint: "npm run lint\\n::error::forged &" } }\n'],
    ["an enum value with C1 and bidi controls", 'deploy: { strategy: "\\x9b2J\\u202ex" }\n'],
  ])("%s with control characters", (_, text) => {
    const m = refusal(text);
    expect(m).not.toMatch(CONTROLS);
    expect(m).not.toMatch(/\u202e/);
    expect(m).toMatch(/Fix: /);
  });

  it("writes a key's characters that are not ASCII as escapes: every key the file may hold is ASCII", () => {
    expect(refusal("backend: { pаrallel: auto }\n")).toContain("`backend.p\\u0430rallel` is not a known key");
    expect(refusal('frontend: { env: { "A\\u200bB": x } }\n')).toContain("`frontend.env.A\\u200bB` is not a variable");
  });

  it("names a look-alike in a value that must be one of a list (U+0430 for a, a zero-width space)", () => {
    expect(refusal('deploy: { strategy: "cаnary" }\n')).toContain(
      '`deploy.strategy` is "c\\u0430nary" (U+0430 is not an ASCII character). Fix: use bluegreen or canary',
    );
    expect(refusal('backend: { parallel: "auto\\u200b" }\n')).toContain(
      '`backend.parallel` is "auto\\u200b" (U+200B is not an ASCII character)',
    );
    expect(refusal('frontend: { nodeVersion: "２２" }\n')).toContain('`frontend.nodeVersion` is "\\uff12\\uff12"');
  });

  it("cuts a long value or key, saying how long it was", () => {
    const long = "9".repeat(100_000);
    const m = refusal(`deploy: { strategy: "${long}" }\n`);
    expect(m.length).toBeLessThan(400);
    expect(m).toContain("(100000 characters)");
    const key = refusal(`backend: { ${"k".repeat(100_000)}: 1 }\n`);
    expect(key.length).toBeLessThan(600);
    expect(key).toContain("(100008 characters)");
  });
});
