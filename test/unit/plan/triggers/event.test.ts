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
