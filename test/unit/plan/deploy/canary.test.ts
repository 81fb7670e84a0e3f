import { describe, expect, it } from "vitest";
import { canaryConf, measuredShare, weightedSteps } from "../../../../ci/src/plan/deploy/canary";

const old = { ports: { frontendPorts: [3001], backendPorts: [8001] }, release: "20261129T100000Z-aaaaaaa" };
const next = { ports: { frontendPorts: [3002], backendPorts: [8002] }, release: "20261129T110000Z-bbbbbbb" };

describe("weightedSteps", () => {
  it("keeps the steps below 100 %: 100 % is the normal route", () => {
    expect(weightedSteps([5, 25, 50, 100])).toEqual([5, 25, 50]);
  });
});

describe("canaryConf", () => {
  it("weights both slots in each upstream and tags each response with the release of the upstream that answered", () => {
    expect(canaryConf(old, next, 5)).toBe(`upstream frontend {
  server 127.0.0.1:3001 weight=95 max_fails=0;
  server 127.0.0.1:3002 weight=5 max_fails=0;
}
upstream backend {
  server 127.0.0.1:8001 weight=95 max_fails=0;
  server 127.0.0.1:8002 weight=5 max_fails=0;
}
map $upstream_addr $deploy_release {
  default "20261129T100000Z-aaaaaaa";
  "127.0.0.1:3001" "20261129T100000Z-aaaaaaa";
  "127.0.0.1:8001" "20261129T100000Z-aaaaaaa";
  "127.0.0.1:3002" "20261129T110000Z-bbbbbbb";
  "127.0.0.1:8002" "20261129T110000Z-bbbbbbb";
}
`);
  });

  it("refuses a percent nginx cannot weigh and a release name that could break the config", () => {
    expect(() => canaryConf(old, next, 100)).toThrow(/not between 1 and 99/);
    expect(() => canaryConf(old, { ...next, release: 'x"; }' }, 5)).toThrow(/cannot go into the nginx config/);
  });
});

describe("measuredShare", () => {
  it("counts each release's requests and the new one's share", () => {
    const line = (release: string) => ({ time: 1, status: 200, seconds: 0.01, release });
    const lines = [...Array(19).fill(line(old.release)), line(next.release), line("-")];
    expect(measuredShare(lines, old.release, next.release)).toEqual({ old: 19, next: 1, percent: 5 });
  });
});
