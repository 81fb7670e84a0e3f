import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseDaggerLine, StandInRefusal } from "../../../scripts/workflows/daggerLine";
import { hostCall } from "../../../scripts/workflows/standInMap";

const ROOT = resolve(import.meta.dirname, "../../..");
const read = (s: { kind: string; name?: string; path?: string }) => `<${s.kind}:${s.name ?? s.path}>`;
/** dagger/dagger-for-github's exec step: `dagger <dagger-flags> call <call>`, word-split by bash. */
const line = (call: string) => ["--progress", "plain", "call", ...call.trim().split(/\s+/)];

describe("the stand-in dagger's reading of a `dagger call` line", () => {
  it("takes constructor flags before the function and the function's after it, and the chained export", () => {
    const c = parseDaggerLine(
      line("--source ./app --config p.yaml end-to-end --shards 4 --notify-success export --path report"),
    );
    expect(c).toEqual({
      global: { "--progress": "plain" },
      constructorFlags: { "--source": "./app", "--config": "p.yaml" },
      fn: "end-to-end",
      flags: { "--shards": "4", "--notify-success": true },
      exportPath: "report",
    });
    expect(hostCall(c, read).argv).toEqual([
      "--source",
      "./app",
      "--config",
      "p.yaml",
      "--shards",
      "4",
      "--notify-success",
      "--record",
      "local",
    ]);
  });

  it("maps a deploy's target flags and env:// / file:// secrets to the host runner's settings, naming the secret ones", () => {
    const c = parseDaggerLine(
      line(
        "deploy-production --host h --port 2222 --user u --base-path /srv --ssh-key env://K --known-hosts file:///kh --database-uri env://DB --commit abc --staging-host s --staging-ssh-key env://SK --force-reason because",
      ),
    );
    const h = hostCall(c, read);
    expect(h.argv).toEqual(["--commit", "abc", "--force-reason", "because"]);
    expect(h.env).toEqual({
      PRODUCTION_SSH_HOST: "h",
      PRODUCTION_SSH_PORT: "2222",
      PRODUCTION_SSH_USER: "u",
      PRODUCTION_DEPLOY_PATH: "/srv",
      PRODUCTION_SSH_KEY: "<env:K>",
      PRODUCTION_KNOWN_HOSTS: "<file:/kh>",
      PRODUCTION_SECRET_DATABASE_URI: "<env:DB>",
      STAGING_SSH_HOST: "s",
      STAGING_SSH_KEY: "<env:SK>",
    });
    expect(h.secretNames.sort()).toEqual([
      "PRODUCTION_KNOWN_HOSTS",
      "PRODUCTION_SECRET_DATABASE_URI",
      "PRODUCTION_SSH_KEY",
      "STAGING_SSH_KEY",
    ]);
  });

  it.each([
    [
      "a plain secret value, without echoing it",
      "deploy-staging --ssh-key hunter2-secret",
      /plain value \(not shown\)/,
    ],
    ["a cmd:// secret", "deploy-staging --ssh-key cmd://cat", /a cmd:\/\/ reference/],
    ["an unknown function", "publish --x 1", /no host-runner mapping for `dagger call publish`/],
    ["an unmapped flag", "fast-tests --app-path x", /flag --app-path has no host-runner mapping/],
    ["another repo", "--repo ../other fast-tests", /only --repo \. maps/],
    ["another verb", "", /only `dagger call`/],
  ])("refuses %s", (_, call, message) => {
    const argv = call ? line(call) : ["--progress", "plain", "functions"];
    const run = () => hostCall(parseDaggerLine(argv), read);
    expect(run).toThrow(StandInRefusal);
    expect(run).toThrow(message);
    expect(() => run()).not.toThrow(/hunter2/);
  });

  it("maps every dagger call line of the workflows (expressions filled with placeholders)", () => {
    const dir = join(ROOT, ".github/workflows");
    let n = 0;
    for (const f of readdirSync(dir)) {
      const wf = parse(readFileSync(join(dir, f), "utf8")) as {
        jobs: Record<string, { steps: { with?: { call?: string } }[] }>;
      };
      for (const job of Object.values(wf.jobs))
        for (const s of job.steps.filter((x) => x.with?.call)) {
          // A conditional flag (`${{ cond && '--force-reason "$FORCE_REASON"' || '' }}`) as bash sees it when set.
          const call = s
            .with!.call!.replace(/\$\{\{[^}]*'(--[\w-]+) "\$\w+"'[^}]*\}\}/g, "$1 because")
            .replace(/\$\{\{.*?\}\}/g, "x");
          expect(() => hostCall(parseDaggerLine(line(call)), read), `${f}: ${call}`).not.toThrow();
          n++;
        }
    }
    expect(n).toBeGreaterThanOrEqual(10);
  });

  it("says loudly, as a real process, that it is a stand-in, and refuses with exit 2", () => {
    const bin = join(ROOT, "scripts/workflows/bin/dagger");
    const v = spawnSync(bin, ["--silent", "version"], { encoding: "utf8" });
    // dagger-for-github skips its download when field 2 is the pinned version: the rest says what this is.
    expect(v.stdout.split(" ").slice(0, 3)).toEqual(["dagger", "v0.21.9", "STAND-IN:"]);
    const r = spawnSync(bin, ["call", "publish"], { encoding: "utf8" });
    expect([r.status, r.stderr]).toEqual([2, expect.stringContaining("STAND-IN dagger refuses")]);
  }, 60_000);

  it("prints a function's result as the real CLI does off a terminal: without the trailing newline", () => {
    // A job output (staging-commit's sha) reaches the next call as "$COMMIT": a newline there is not a sha.
    const report = mkdtempSync(join(tmpdir(), "standin-verdict-"));
    writeFileSync(join(report, "status"), "passed\n");
    writeFileSync(join(report, "summary.txt"), "e2e (smoke): passed\n");
    const bin = join(ROOT, "scripts/workflows/bin/dagger");
    const r = spawnSync(bin, ["call", "end-to-end-verdict", "--report", report], { cwd: ROOT, encoding: "utf8" });
    rmSync(report, { recursive: true });
    // The host runner prints the summary and a newline; the stand-in holds that last newline back.
    expect([r.status, r.stdout]).toEqual([0, "e2e (smoke): passed\n"]);
  }, 60_000);
});
