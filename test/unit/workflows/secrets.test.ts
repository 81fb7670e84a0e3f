import { describe, expect, it } from "vitest";
import { formatSecretFile, knownHostsAt, planSecrets } from "../../../scripts/workflows/secrets";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH0stagingkey";
const server = (sshPort: number, publicPort: number, host = "127.0.0.1") => ({
  base: `/tmp/w/${sshPort}/srv`,
  key: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n",
  mongoPort: sshPort + 1,
  knownHosts: `[127.0.0.1]:${sshPort} ${KEY}`,
  reach: { host, sshPort, publicPort },
});

describe("the replay's secrets", () => {
  it("names the host key under the address the jobs dial, in ssh's [host]:port form", () => {
    expect(knownHostsAt(`[127.0.0.1]:2201 ${KEY}`, "10.87.0.1", 40587)).toBe(`[10.87.0.1]:40587 ${KEY}`);
    expect(knownHostsAt(`[127.0.0.1]:2201 ${KEY} comment`, "10.87.0.1", 22)).toBe(`10.87.0.1 ${KEY}`);
    expect(() => knownHostsAt("[127.0.0.1]:2201", "10.87.0.1", 1)).toThrow(/not a known_hosts line/);
  });

  it("gives loopback servers as loopback (the stand-in's jobs run on this host)", () => {
    const s = planSecrets({
      user: "root",
      staging: server(2201, 8081),
      production: server(2301, 8082),
      receiver: "http://127.0.0.1:9000",
    });
    expect(s).toMatchObject({
      STAGING_HOST: "127.0.0.1",
      STAGING_SSH_PORT: "2201",
      STAGING_KNOWN_HOSTS: `[127.0.0.1]:2201 ${KEY}`,
      STAGING_URL: "http://127.0.0.1:8081",
      STAGING_API_URL: "http://127.0.0.1:8081",
      PRODUCTION_HOST: "127.0.0.1",
      PRODUCTION_SSH_PORT: "2301",
      PRODUCTION_BASE_PATH: "/tmp/w/2301/srv",
      SLACK_WEBHOOK: "http://127.0.0.1:9000/slack",
      ALERT_WEBHOOK_WARNING: "http://127.0.0.1:9000/alert-warning",
      ALERT_WEBHOOK_CRITICAL: "http://127.0.0.1:9000/alert-critical",
    });
  });

  it("gives forwarded servers by the bridge: host, forwarder ports, known_hosts and URLs, the database on loopback", () => {
    const staging = { ...server(2201, 8081), reach: { host: "10.87.0.1", sshPort: 40587, publicPort: 33299 } };
    const production = { ...server(2301, 8082), reach: { host: "10.87.0.1", sshPort: 38627, publicPort: 33897 } };
    const s = planSecrets({ user: "root", staging, production, receiver: "http://10.87.0.1:37577" });
    expect(s).toMatchObject({
      STAGING_HOST: "10.87.0.1",
      STAGING_SSH_PORT: "40587",
      STAGING_KNOWN_HOSTS: `[10.87.0.1]:40587 ${KEY}`,
      STAGING_URL: "http://10.87.0.1:33299",
      STAGING_API_URL: "http://10.87.0.1:33299",
      STAGING_DATABASE_URI: "mongodb://127.0.0.1:2202/autoauthor_staging",
      PRODUCTION_HOST: "10.87.0.1",
      PRODUCTION_SSH_PORT: "38627",
      PRODUCTION_KNOWN_HOSTS: `[10.87.0.1]:38627 ${KEY}`,
      PRODUCTION_DATABASE_URI: "mongodb://127.0.0.1:2302/autoauthor_production",
      SLACK_WEBHOOK: "http://10.87.0.1:37577/slack",
      ALERT_WEBHOOK_CRITICAL: "http://10.87.0.1:37577/alert-critical",
    });
    expect(Object.values(s).join("\n")).not.toMatch(/127\.0\.0\.1:(40587|33299|38627|33897|37577|8081|8082|2201|2301)/);
  });

  it("writes dotenv act reads: one quoted value a line, the key's newlines, quotes and backslashes escaped", () => {
    expect(formatSecretFile({ A: 'x"y\\z', KEY: "l1\nl2\n" })).toBe('A="x\\"y\\\\z"\nKEY="l1\\nl2\\n"\n');
  });
});
