/**
 * The module-mode rows that need a server: the E2E functions against the example app started on the engine bridge's
 * address, and the deploy functions against the bundled staging server (sshd + nginx + PM2 + a MongoDB stand-in) in
 * its own directory, reached through forwarders on the bridge (forward.ts). Secrets go in as the README says:
 * `--ssh-key env://…`, `--known-hosts file://…`, `--database-uri env://…`.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { basename, delimiter, join } from "node:path";
import { copyExample } from "../../../test/support/example";
import { readConfig } from "../../host/config";
import { startLocalApp } from "../../host/exampleApp";
import { TOOLS_BIN } from "../../host/stage";
import { startStagingServer, stopStagingServer } from "../../host/staging/server";
import { bridgeIp, forward } from "../forward";
import { call, sha } from "./rows";
import type { ModuleRow, Typed } from "./typed";

export interface RowGroup {
  rows: ModuleRow[];
  stop(): Promise<void>;
}

const status = (dir: string) => () => {
  const f = join(dir, "status");
  const s = existsSync(f) ? readFileSync(f, "utf8").trim() : "no status file";
  return s === "passed" ? undefined : `report status: ${s}`;
};

/**
 * An input error under `dagger call`: a shard index outside 1..total, with URLs where nothing listens (the discard
 * port on the bridge). Exit 1 (the CLI's code for every thrown error) and the message's `input error: ` line; had
 * staging been probed first, the readiness failure would come instead, after its attempts.
 */
function badShardIndex(): ModuleRow {
  const closed = `http://${bridgeIp()}:9`;
  const args: [string, string][] = [
    ["index", "9"],
    ["total", "2"],
    ["base-url", closed],
    ["api-url", closed],
  ];
  return {
    row: "end-to-end-shard-bad-index",
    argv: call("end-to-end-shard", args, ["export", "--path", "blob-9"]),
    expect: 1,
    check: (t) =>
      /^(Error: )?input error: --index 9 is not a shard of --total 2/m.test(t.stderr)
        ? undefined
        : "no line starting 'input error: --index 9 is not a shard of --total 2'",
  };
}

/** end-to-end (2 shards), then shard 1 and shard 2 exported, merged, and the verdict on the merged report. */
export async function e2eRows(scratch: string): Promise<RowGroup> {
  const copy = copyExample();
  const env = { ...process.env, PATH: [TOOLS_BIN, process.env.PATH ?? ""].join(delimiter) };
  const app = await startLocalApp(copy.dir, await readConfig(copy.dir), env, () => {}, bridgeIp());
  const urls: [string, string][] = [
    ["base-url", app.baseUrl],
    ["api-url", app.apiUrl],
  ];
  const [report, blobs, merged] = ["e2e-report", "blobs", "e2e-merged"].map((d) => join(scratch, d));
  const shard = (i: number): ModuleRow => ({
    row: `end-to-end-shard-${i}`,
    argv: call("end-to-end-shard", [["index", `${i}`], ["total", "2"], ...urls], ["export", "--path", `${blobs}-${i}`]),
    expect: 0,
    check: () => {
      const zip = join(`${blobs}-${i}`, `report-${i}.zip`);
      if (!existsSync(zip)) return `no ${zip}`;
      mkdirSync(blobs, { recursive: true }); // as download-artifact merges the shards' artifacts into one directory
      copyFileSync(zip, join(blobs, `report-${i}.zip`));
    },
  });
  const rows: ModuleRow[] = [
    badShardIndex(),
    {
      row: "end-to-end",
      argv: call("end-to-end", [["shards", "2"], ...urls], ["export", "--path", report]),
      expect: 0,
      check: status(report),
    },
    shard(1),
    shard(2),
    {
      row: "end-to-end-merge",
      argv: call("end-to-end-merge", [["blobs", blobs], ["total", "2"], ...urls], ["export", "--path", merged]),
      expect: 0,
      check: status(merged),
    },
    { row: "end-to-end-verdict", argv: call("end-to-end-verdict", [["report", merged]]), expect: 0 },
  ];
  return {
    rows,
    stop: async () => {
      await app.stop();
      copy.remove();
    },
  };
}

/**
 * deploy-staging twice, rollback, staging-commit, an E2E run that writes staging's record, deploy-production twice,
 * metrics.
 */
export async function deployRows(scratch: string): Promise<RowGroup> {
  const dir = join(scratch, "staging");
  const s = await startStagingServer(dir);
  const ip = bridgeIp();
  const [ssh, pub] = await Promise.all([forward(ip, s.sshPort), forward(ip, s.publicPort)]);
  const knownHosts = join(scratch, "known_hosts");
  writeFileSync(knownHosts, `[${ip}]:${ssh.port} ${s.knownHosts.split(" ").slice(1).join(" ")}\n`);
  const env = {
    LAB_STAGING_SSH_KEY: readFileSync(s.keyFile, "utf8"),
    LAB_STAGING_DATABASE_URI: `mongodb://127.0.0.1:${s.mongoPort}/autoauthor_staging`,
  };
  const user = process.env.USER || "root";
  const publicUrl = `http://${ip}:${pub.port}`;
  // The deploy's own server flags and the E2E gate's --staging-* flags name the same lab server.
  const server = (prefix: string): [string, string][] => [
    [`${prefix}host`, ip],
    [`${prefix}user`, user],
    [`${prefix}base-path`, s.base],
    [`${prefix}port`, `${ssh.port}`],
    [`${prefix}ssh-key`, "env://LAB_STAGING_SSH_KEY"],
    [`${prefix}known-hosts`, `file://${knownHosts}`],
  ];
  const target: [string, string][] = [...server(""), ["database-uri", "env://LAB_STAGING_DATABASE_URI"]];
  const staging = server("staging-");
  const [first, second] = [sha("HEAD~1"), sha("HEAD")];
  const deploy = (rev: string, commit: string): ModuleRow => ({
    row: `deploy-staging-${rev}`,
    argv: call("deploy-staging", [...target, ["commit", commit], ["public-url", publicUrl]]),
    expect: 0,
    env,
  });
  const current = () => basename(readlinkSync(join(s.base, "current")));
  const production = (commit: string, expect: number, check: (t: Typed) => string | undefined): ModuleRow => ({
    row: `deploy-production-${expect === 0 ? "with-record" : "without-record"}`,
    argv: call("deploy-production", [...target, ["commit", commit], ...staging, ["public-url", publicUrl]]),
    expect,
    env,
    check,
  });
  const e2eReport = join(scratch, "e2e-staging-report");
  const rows: ModuleRow[] = [
    deploy("HEAD~1", first),
    deploy("HEAD", second),
    {
      row: "rollback",
      argv: call(
        "rollback",
        target.filter(([n]) => n !== "database-uri"),
      ),
      expect: 0,
      env,
      check: () => (current().endsWith(first.slice(0, 7)) ? undefined : `current is ${current()}`),
    },
    {
      row: "staging-commit",
      argv: call("staging-commit", staging),
      expect: 0,
      env,
      check: (t) => (t.stdout.trim() === first ? undefined : `printed ${t.stdout.trim()}, not ${first}`),
    },
    {
      row: "end-to-end-staging-record",
      argv: call(
        "end-to-end",
        [["base-url", publicUrl], ["api-url", publicUrl], ["suite", "smoke"], ...staging],
        ["export", "--path", e2eReport],
      ),
      expect: 0,
      env,
      check: () =>
        existsSync(join(s.base, ".dep/e2e", `${first}.json`)) ? status(e2eReport)() : "no record on staging",
    },
    production(second, 1, (t) => (/refused/.test(t.stderr) ? undefined : "no 'refused' in the error")),
    production(first, 0, () => undefined),
    {
      row: "metrics",
      argv: call("metrics", [
        ["release-logs", join(s.base, ".dep/releases.jsonl")],
        ["end-to-end-records", join(s.base, ".dep/e2e")],
      ]),
      expect: 0,
    },
  ];
  return {
    rows,
    stop: async () => {
      await Promise.all([ssh.close(), pub.close()]);
      await stopStagingServer(dir);
    },
  };
}
