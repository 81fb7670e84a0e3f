import { describe, expect, it } from "vitest";
import {
  layoutProblem,
  parseLayout,
  parseServerInfo,
  ServerInfoError,
} from "../../../../ci/src/plan/deploy/serverInfo";

const GOOD = {
  path: "/usr/local/bin:/usr/bin",
  pm2Home: "/srv/app/.pm2",
  pm2: "/usr/local/bin/pm2",
  publicPort: 80,
  frontendPorts: [3000, 3001],
  backendPorts: [8000, 8001],
  nginx: { upstreamsFile: "/etc/nginx/app-upstreams.conf", reload: ["nginx", "-s", "reload"] },
};
const text = (o: object) => JSON.stringify(o);

describe("parseServerInfo", () => {
  it("returns a well-formed server.json as it is", () => {
    expect(parseServerInfo(text(GOOD), "deploy@h:22:/srv/app")).toEqual(GOOD);
  });

  it("takes the bundled staging server's confine, and a server.json without one as before", () => {
    const bundled = { ...GOOD, confine: "/work/.pipeline/staging/bin/confine" };
    expect(parseServerInfo(text(bundled), "h").confine).toBe(bundled.confine);
    expect(parseServerInfo(text(GOOD), "h").confine).toBeUndefined();
  });

  it("takes a time bound for the server's pm2 commands, and none (the default) as before", () => {
    expect(parseServerInfo(text({ ...GOOD, pm2TimeoutSeconds: 2.5 }), "h").pm2TimeoutSeconds).toBe(2.5);
    expect(parseServerInfo(text(GOOD), "h").pm2TimeoutSeconds).toBeUndefined();
  });

  it.each([
    ["an empty file", "", /is missing or empty/],
    ["a file cut off mid-write", '{"path": "/usr/bin", ', /is not valid JSON/],
    ["an array", "[]", /is not an object/],
    ["no pm2", text({ ...GOOD, pm2: undefined }), /has no "pm2" string/],
    ["a port out of range", text({ ...GOOD, publicPort: 70000 }), /"publicPort" between 1 and 65535/],
    ["no backend ports", text({ ...GOOD, backendPorts: [] }), /"backendPorts" list of ports/],
    ["bad slots", text({ ...GOOD, slots: [{ frontendPorts: [1] }] }), /"slots" that is not a list/],
    ["no nginx", text({ ...GOOD, nginx: undefined }), /no "nginx"/],
    ["a relative confine", text({ ...GOOD, confine: "bin/confine" }), /"confine" that is not an absolute path/],
    ["an empty confine", text({ ...GOOD, confine: "" }), /"confine" that is not an absolute path/],
    ["a pm2 time bound of 0", text({ ...GOOD, pm2TimeoutSeconds: 0 }), /"pm2TimeoutSeconds" that is not a number/],
    ["a pm2 time bound as text", text({ ...GOOD, pm2TimeoutSeconds: "60" }), /"pm2TimeoutSeconds" that is not/],
    ["a pm2 time bound of a day", text({ ...GOOD, pm2TimeoutSeconds: 86400 }), /"pm2TimeoutSeconds" .*at most 3600/],
  ])("refuses %s with an input error that says nothing changed and how to fix it", (_, body, problem) => {
    const parse = () => parseServerInfo(body, "deploy@h:22:/srv/app");
    expect(parse).toThrow(ServerInfoError);
    expect(parse).toThrow(problem);
    expect(parse).toThrow(/deploy@h:22:\/srv\/app\/shared\/server\.json .*nothing was changed on the server\. Fix: /);
  });
});

describe("layoutProblem", () => {
  const base = "/srv/app";
  it("takes a base whose current is a link or absent and whose releases is a folder or absent", () => {
    expect(layoutProblem(parseLayout("current link\nreleases folder\n"), base)).toBeUndefined();
    expect(layoutProblem(parseLayout("current none\nreleases none\n"), base)).toBeUndefined();
    expect(layoutProblem(parseLayout("current link\nreleases folder\n.dep/deploy.lock file"), base)).toBeUndefined();
  });

  it.each([
    [
      "current folder\nreleases folder",
      "`current` is a folder, not the link a deploy switches",
      "mv /srv/app/current /srv/app/current.by-hand",
    ],
    [
      "current file\nreleases folder",
      "`current` is a file, not the link a deploy switches",
      "mv /srv/app/current /srv/app/current.by-hand",
    ],
    [
      "current link\nreleases link",
      "`releases` is a link, not the folder of this base's releases",
      "mv /srv/app/releases /srv/app/releases.by-hand",
    ],
    [
      "current link\nreleases file",
      "`releases` is a file, not the folder of this base's releases",
      "mv /srv/app/releases /srv/app/releases.by-hand",
    ],
    [
      "current special\nreleases folder",
      "`current` is a FIFO, socket or device, not the link a deploy switches",
      "mv /srv/app/current /srv/app/current.by-hand",
    ],
    ...["link", "folder", "special"].map((kind) => [
      `current link\nreleases folder\n.dep/deploy.lock ${kind}`,
      `\`.dep/deploy.lock\` is ${kind === "special" ? "a FIFO, socket or device" : `a ${kind}`}, not the file a deploy's lock is`,
      "mv /srv/app/.dep/deploy.lock /srv/app/.dep/deploy.lock.by-hand",
    ]),
    ...["link", "folder", "special"].map((kind) => [
      `current link\nreleases folder\n.dep/slots.json ${kind}`,
      `\`.dep/slots.json\` is ${kind === "special" ? "a FIFO, socket or device" : `a ${kind}`}, not the file the slots' state is`,
      "mv /srv/app/.dep/slots.json /srv/app/.dep/slots.json.by-hand",
    ]),
  ])("names what a hand edit left (%j) and the command that moves it aside", (text, problem, fix) => {
    expect(layoutProblem(parseLayout(text), base)).toEqual({ problem, fix });
  });

  it("ignores lines that are not the script's", () => {
    expect(parseLayout("current folder x\nmotd text\nreleases folder")).toEqual({ releases: "folder" });
  });
});
