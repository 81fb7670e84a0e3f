import { describe, expect, it } from "vitest";
import { evaluate, interpolate } from "../../../scripts/workflows/expr";
import { concurrencyOf } from "../../../scripts/workflows/act";

describe("the model of GitHub's expressions", () => {
  it("returns an operand from && and ||, null for a missing context value, and compares strings ignoring case", () => {
    expect(evaluate("a && 'x' || 'y'", { a: "1" })).toBe("x");
    expect(evaluate("a && 'x' || 'y'", {})).toBe("y");
    expect(evaluate("a", {})).toBeNull();
    expect(evaluate("a == 'Push'", { a: "push" })).toBe(true);
    expect(evaluate("!(a != 'x' || b == 1)", { a: "x", b: 2 })).toBe(true);
    expect(evaluate("'it''s'", {})).toBe("it's");
  });

  it("formats with escaped braces, and round-trips toJSON and fromJSON", () => {
    expect(evaluate("format('{{\"k\":{0}}}', toJSON(v))", { v: 'a"b' })).toBe('{"k":"a\\"b"}');
    expect(evaluate("fromJSON(format('{{\"k\":{0}}}', toJSON(v)))", { v: 'a"b' })).toEqual({ k: 'a"b' });
    expect(evaluate("format('s-{0}-{1}', a, b)", { a: "x", b: 7 })).toBe("s-x-7");
    expect(evaluate("startsWith(r, 'ci-experimental/')", { r: "CI-experimental/x" })).toBe(true);
  });

  it("fills text around expressions, and refuses what it cannot read", () => {
    expect(interpolate("g-${{ a || b }}", { b: "refs/heads/x" })).toBe("g-refs/heads/x");
    expect(interpolate("${{ a }}", { a: 5 })).toBe(5);
    expect(() => evaluate("a ? b : c", {})).toThrow(/cannot read/);
    expect(() => evaluate("nope(a)", {})).toThrow(/unknown function/);
  });

  it("gives the replay each workflow's group as GitHub would", () => {
    const after = (event: string, conclusion: string) => ({
      "github.event_name": "workflow_run",
      "github.event.workflow_run.event": event,
      "github.event.workflow_run.conclusion": conclusion,
      "github.run_id": "9",
    });
    expect(concurrencyOf("deploy-staging.yml", after("push", "success"))).toBe("staging");
    expect(concurrencyOf("deploy-staging.yml", after("pull_request", "success"))).toBe("staging-skipped-9");
    expect(concurrencyOf("e2e-staging.yml", after("workflow_run", "skipped"))).toBe("staging-skipped-9");
    expect(concurrencyOf("e2e-staging.yml", { "github.event_name": "schedule" })).toBe("staging");
    expect(concurrencyOf("test-suite.yml", { "github.ref": "refs/heads/develop" })).toBe(
      "test-suite-refs/heads/develop",
    );
  });
});
