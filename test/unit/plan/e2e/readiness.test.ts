import { describe, expect, it } from "vitest";
import {
  describeProbe,
  NotReadyError,
  readinessUrls,
  waitForReady,
  type ProbeResult,
} from "../../../../ci/src/plan/e2e/readiness";

/** A probe that replays answers in order, recording the URLs it was asked. */
function replay(answers: ProbeResult[]) {
  const asked: string[] = [];
  return {
    asked,
    probe: async (url: string) => (asked.push(url), answers.shift() ?? answers.at(-1) ?? { error: "none" }),
  };
}

describe("waitForReady", () => {
  it("returns once every URL answers 2xx, sleeping the interval between attempts", async () => {
    const { asked, probe } = replay([{ error: "ECONNREFUSED" }, { status: 200 }, { status: 204 }]);
    const slept: number[] = [];
    await waitForReady(
      ["http://a", "http://b"],
      { attempts: 3, intervalSeconds: 10 },
      probe,
      async (ms) => void slept.push(ms),
    );
    expect(asked).toEqual(["http://a", "http://a", "http://b"]);
    expect(slept).toEqual([10_000]);
  });

  it("fails naming the URL, the attempts and the last response", async () => {
    const { probe } = replay([{ error: "ECONNREFUSED" }, { status: 503, body: "  starting\n up " }]);
    const p = waitForReady(["http://staging:3000"], { attempts: 2, intervalSeconds: 0 }, probe, async () => {});
    await expect(p).rejects.toThrow(NotReadyError);
    await expect(
      waitForReady(
        ["http://staging:3000"],
        { attempts: 2, intervalSeconds: 0 },
        replay([{ error: "x" }, { status: 503, body: "starting up" }]).probe,
        async () => {},
      ),
    ).rejects.toThrow(
      /http:\/\/staging:3000 was not ready after 2 attempts; last response: HTTP 503 "starting up"\. .*--ready-attempts/,
    );
  });
});

describe("describeProbe", () => {
  it("shows an error as is, a response as its status and trimmed body", () => {
    expect(describeProbe({ error: "ECONNREFUSED connect" })).toBe("ECONNREFUSED connect");
    expect(describeProbe({ status: 502, body: "" })).toBe("HTTP 502");
  });
});

describe("readinessUrls", () => {
  it("waits for the frontend and the API's health endpoint", () => {
    expect(readinessUrls("http://web", "http://api/", "/api/v1/health")).toEqual([
      "http://web",
      "http://api/api/v1/health",
    ]);
  });
});
