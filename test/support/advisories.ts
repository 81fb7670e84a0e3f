/**
 * A loopback stand-in for the two advisory databases this machine cannot reach (the npm registry's bulk advisory
 * endpoint answers 405 here, OSV does not answer): it serves two real, published advisories, for the versions the
 * tests plant, and nothing for anything else, so npm audit and pip-audit run for real against it.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** GHSA-35jh-r3h4-6jhm: lodash before 4.17.21, command injection through template (high). */
export const LODASH_ADVISORY = {
  id: 1106913,
  url: "https://github.com/advisories/GHSA-35jh-r3h4-6jhm",
  title: "Command Injection in lodash",
  severity: "high",
  vulnerable_versions: "<4.17.21",
  cwe: ["CWE-77", "CWE-94"],
  cvss: { score: 7.2, vectorString: "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H" },
};

/** PYSEC-2018-28 (CVE-2018-18074): requests before 2.20.0 sends Authorization across an https→http redirect. */
export const REQUESTS_ADVISORY = {
  id: "PYSEC-2018-28",
  aliases: ["CVE-2018-18074", "GHSA-x84v-xcm2-53pg"],
  summary:
    "requests before 2.20.0 sends an HTTP Authorization header to an http URI on a same-host https-to-http redirect",
  affected: [
    {
      package: { name: "requests", ecosystem: "PyPI" },
      ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "2.20.0" }] }],
    },
  ],
};

const lodashVersion = (version: string) => ({
  name: "lodash",
  version,
  dist: { tarball: `https://registry.npmjs.org/lodash/-/lodash-${version}.tgz` },
});
const LODASH_PACKUMENT = {
  name: "lodash",
  "dist-tags": { latest: "4.17.21" },
  versions: { "4.17.20": lodashVersion("4.17.20"), "4.17.21": lodashVersion("4.17.21") },
};

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const text = (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString();
  return JSON.parse(text || "{}");
}

/** Start the stand-in; `npmRegistry` and `osvUrl` are what quality.audit takes. */
export async function startAdvisories(): Promise<{ npmRegistry: string; osvUrl: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void body(req).then((b) => {
      let answer: unknown = {};
      if (req.url?.startsWith("/-/npm/v1/security/advisories/bulk")) {
        const wanted = b as Record<string, string[]>;
        answer = wanted.lodash?.includes("4.17.20") ? { lodash: [LODASH_ADVISORY] } : {};
      } else if (req.url === "/lodash") {
        // npm audit reads the packument of each vulnerable package to say which version fixes it.
        answer = LODASH_PACKUMENT;
      } else if (req.url === "/v1/query") {
        const q = b as { package?: { name?: string }; version?: string };
        answer = q.package?.name === "requests" && q.version === "2.19.0" ? { vulns: [REQUESTS_ADVISORY] } : {};
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    npmRegistry: `${base}/`,
    osvUrl: `${base}/v1/query`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
