import { describe, expect, it } from "vitest";
import { chooseSlot, parseSlotState, slotAppNames, slotsOf, upstreamsConf } from "../../../../ci/src/plan/deploy/slots";

describe("slotsOf", () => {
  it("pairs the i-th frontend and backend port as slot i when server.json declares no slots", () => {
    expect(slotsOf({ frontendPorts: [1, 2], backendPorts: [3, 4] })).toEqual([
      { frontendPorts: [1], backendPorts: [3] },
      { frontendPorts: [2], backendPorts: [4] },
    ]);
  });

  it("uses the declared slots as they are", () => {
    const slots = [{ frontendPorts: [1, 2], backendPorts: [3] }];
    expect(slotsOf({ slots, frontendPorts: [], backendPorts: [] })).toBe(slots);
  });
});

describe("parseSlotState", () => {
  it("treats a missing or torn file as slot 0 routed with nothing running", () => {
    expect(parseSlotState("", 2)).toEqual({ active: 0, releases: ["", ""] });
    expect(parseSlotState('{"active":1,"rel', 2)).toEqual({ active: 0, releases: ["", ""] });
  });

  it("rejects an active slot the server does not have", () => {
    expect(parseSlotState('{"active":5,"releases":["a","b"]}', 2).active).toBe(0);
  });

  it("reads the routed slot and each slot's release", () => {
    expect(parseSlotState('{"active":1,"releases":["a","b"]}', 2)).toEqual({ active: 1, releases: ["a", "b"] });
  });
});

describe("chooseSlot", () => {
  it("goes live warm in the slot that already runs the release", () => {
    expect(chooseSlot({ active: 1, releases: ["old", "new"] }, "old")).toEqual({ slot: 0, warm: true });
  });

  it("starts a new release in the slot that is not routed, replacing what it ran", () => {
    expect(chooseSlot({ active: 1, releases: ["older", "cur"] }, "next")).toEqual({ slot: 0, warm: false });
    expect(chooseSlot({ active: 0, releases: ["", ""] }, "first")).toEqual({ slot: 1, warm: false });
  });
});

describe("upstreamsConf", () => {
  it("routes both upstreams to the slot's ports and tags responses with the release", () => {
    const conf = upstreamsConf({ frontendPorts: [3001], backendPorts: [8001] }, "20261126T231501Z-3520442");
    expect(conf).toContain("upstream frontend {\n  server 127.0.0.1:3001 max_fails=0;\n}");
    expect(conf).toContain("upstream backend {\n  server 127.0.0.1:8001 max_fails=0;\n}");
    expect(conf).toContain('default "20261126T231501Z-3520442";');
  });

  it("refuses a release name that could break out of the config", () => {
    expect(() => upstreamsConf({ frontendPorts: [1], backendPorts: [2] }, 'x"; }')).toThrow(
      /cannot go into the nginx config/,
    );
  });
});

describe("slotAppNames", () => {
  it("names the apps as ecosystem.config.cjs does", () => {
    expect(slotAppNames(1, { frontendPorts: [1, 2], backendPorts: [3] })).toEqual([
      "frontend-s1-0",
      "frontend-s1-1",
      "backend-s1-0",
    ]);
  });
});
