import { describe, expect, it } from "vitest";
import { UnknownEventError } from "../../../../ci/src/plan/triggers/rules";
import { ZERO_SHA } from "../../../../ci/src/plan/triggers/diffRequest";
import { EventPayloadError, parseEventPayload } from "../../../../ci/src/plan/triggers/event";

const A = "a".repeat(40);
const B = "b".repeat(40);

describe("parseEventPayload", () => {
  it("reads a pull request's head branch, base sha and ref, and head sha", () => {
    const ctx = parseEventPayload(
      JSON.stringify({ pull_request: { base: { sha: A, ref: "develop" }, head: { sha: B, ref: "feature/x" } } }),
    );
    expect(ctx).toEqual({
      event: "pull_request",
      branch: "feature/x",
      request: { kind: "pull_request", base: A, baseRef: "develop", head: B },
    });
  });

  it("reads a pull request's number, from the pull request or the payload's top level", () => {
    const pr = { base: { sha: A }, head: { sha: B, ref: "x" } };
    expect(parseEventPayload(JSON.stringify({ pull_request: { ...pr, number: 17 } })).pullRequest).toBe(17);
    expect(parseEventPayload(JSON.stringify({ number: 9, pull_request: pr })).pullRequest).toBe(9);
    expect(parseEventPayload(JSON.stringify({ number: "9; rm", pull_request: pr })).pullRequest).toBeUndefined();
  });

  it("reads a push's before, after, branch and default branch, including a first push", () => {
    const ctx = parseEventPayload(
      JSON.stringify({ ref: "refs/heads/develop", before: ZERO_SHA, after: B, repository: { default_branch: "main" } }),
    );
    expect(ctx).toEqual({
      event: "push",
      branch: "develop",
      request: { kind: "push", before: ZERO_SHA, head: B, defaultBranch: "main" },
    });
  });

  it.each([
    ["pull_request.head.ref", { pull_request: { base: { sha: A }, head: { sha: B, ref: "x\u001b]0;owned\u0007" } } }],
    ["pull_request.base.ref", { pull_request: { base: { sha: A, ref: "main\nfake" }, head: { sha: B, ref: "x" } } }],
    ["ref", { ref: "refs/heads/dev\u009b2J", before: A, after: B }],
    ["after", { ref: "refs/heads/dev", before: A, after: "\u001b[2J" }],
    ["workflow_run.head_branch", { workflow_run: { head_sha: B, head_branch: "x\r\n::error::y" } }],
  ])("refuses a payload whose %s holds control characters, written with \\x escapes", (path, payload) => {
    const run = () => parseEventPayload(JSON.stringify(payload), undefined, "ev.json");
    expect(run).toThrow(EventPayloadError);
    expect(run).toThrow(new RegExp(`\`${path.replace(".", "\\.")}\` holds control characters \\(".*\\\\x`));
    // eslint-disable-next-line no-control-regex -- the message must carry none
    expect(run).not.toThrow(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it.each([
    ["ref", { ref: `refs/heads/${"b".repeat(5_000_000)}`, before: A, after: B }],
    ["pull_request.head.ref", { pull_request: { base: { sha: A }, head: { sha: B, ref: "x".repeat(1025) } } }],
  ])("refuses a payload whose %s is longer than any branch or sha, without echoing it", (path, payload) => {
    // The fourteenth hostile run: a 5 MB branch name was planned (exit 0) and echoed three times, 15 MB of output.
    const run = () => parseEventPayload(JSON.stringify(payload), undefined, "ev.json");
    expect(run).toThrow(
      new RegExp(`\`${path.replace(/\./g, "\\.")}\` is \\d+ characters long; a branch or a sha is at most 1024`),
    );
    expect(() => run()).toThrow(EventPayloadError);
    try {
      run();
    } catch (e) {
      expect((e as Error).message.length).toBeLessThan(600);
    }
  });

  it("reads schedule as nothing to diff", () => {
    expect(parseEventPayload(JSON.stringify({ schedule: "0 3 * * *" })).request.kind).toBe("none");
  });

  it("rejects text that is not JSON, naming the file and the fix", () => {
    expect(() => parseEventPayload("{nope", undefined, "event.json")).toThrow(EventPayloadError);
    expect(() => parseEventPayload("{nope", undefined, "event.json")).toThrow(
      /event.json: is not JSON.*GITHUB_EVENT_PATH/,
    );
  });

  it("rejects a pull request payload without the base sha", () => {
    expect(() => parseEventPayload(JSON.stringify({ pull_request: { head: { sha: B, ref: "x" } } }))).toThrow(
      /lacks `pull_request.base.sha`/,
    );
  });

  it("rejects a payload whose event cannot be told, and an unknown --event", () => {
    expect(() => parseEventPayload("{}")).toThrow(/event is unknown \(pass --event\)/);
    expect(() => parseEventPayload("{}", "release")).toThrow(UnknownEventError);
  });
});
