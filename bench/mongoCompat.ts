/**
 * Run the MongoDB compatibility suite (test/compat/mongo) against every stand-in this machine has,
 * and print one table: candidate, passed/total, start seconds (launch → first accepted connection;
 * min/median/max over --runs), resident memory after the suite.
 *   npx tsx bench/mongoCompat.ts [--runs 3]        (npm run bench:mongo)
 * Candidates: mongod (when on PATH), the mongo-java-server stand-in, FerretDB v1 on SQLite, and FerretDB v1
 * on PostgreSQL when Debian's postgresql is installed (a private cluster, run as the postgres user).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { $ } from "zx";
import { canConnect, freePort } from "../scripts/host/services";

const ROOT = resolve(import.meta.dirname, "..");
const SUITE = join(ROOT, "test/compat/mongo");
const PATH = [join(ROOT, ".tools/bin"), process.env.PATH].join(delimiter);

interface Candidate {
  name: string;
  available: () => boolean;
  /**
   * A bash script that starts the server in the background on $PORT with data in $DIR and prints its pid;
   * the server's output goes to a file, or the script's stdout would stay open as long as the server runs.
   */
  start: string;
}

const PG_BIN = (existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql", { withFileTypes: true }) : [])
  .map((d) => `/usr/lib/postgresql/${d.name}/bin`)
  .find((b) => existsSync(`${b}/initdb`));

const FERRET = "ferretdb --debug-addr=- --state-dir=$DIR --telemetry=disable --log-level=warn";
const CANDIDATES: Candidate[] = [
  {
    name: "mongod",
    available: () => onPath("mongod"),
    start: "mongod --port $PORT --dbpath $DIR --quiet >$DIR/log 2>&1 & echo $!",
  },
  {
    name: "mongo-java-server 1.47.0 + CompatBackend (in memory)",
    available: () => onPath("mongo-stand-in"),
    start: "mongo-stand-in $PORT 127.0.0.1 >$DIR/log 2>&1 & echo $!",
  },
  {
    name: "FerretDB v1.24.2, SQLite",
    available: () => onPath("ferretdb"),
    start: `${FERRET} --handler=sqlite --sqlite-url=file:$DIR/ --listen-addr=127.0.0.1:$PORT >$DIR/log 2>&1 & echo $!`,
  },
  {
    name: "FerretDB v1.24.2, PostgreSQL",
    available: () => onPath("ferretdb") && PG_BIN !== undefined,
    start: [
      `pg() { (cd / && su postgres -s /bin/sh -c "$*"); }`,
      `chmod 755 $DIR && install -d -o postgres -g postgres $DIR/pg`,
      `pg "${PG_BIN}/initdb -D $DIR/pg -U postgres --auth=trust --no-sync" >/dev/null`,
      `pg "${PG_BIN}/pg_ctl -D $DIR/pg -l $DIR/pg/postgres.log -w start -o '-p $PGPORT -k $DIR/pg -c fsync=off'" >/dev/null`,
      `pg "${PG_BIN}/createdb -h $DIR/pg -p $PGPORT ferretdb"`,
      `${FERRET} --handler=postgresql --postgresql-url=postgres://postgres@127.0.0.1:$PGPORT/ferretdb` +
        ` --listen-addr=127.0.0.1:$PORT >$DIR/log 2>&1 & echo $!`,
    ].join("\n"),
  },
];

function onPath(bin: string): boolean {
  return PATH.split(delimiter).some((d) => existsSync(join(d, bin)));
}

/** Resident memory of a process and its children, in MB. */
async function rssMb(pid: number): Promise<number> {
  const tree = await $({ nothrow: true, quiet: true })`ps -o pid= --ppid ${pid}`;
  const pids = [pid, ...tree.stdout.split(/\s+/).filter(Boolean).map(Number)];
  const kb = pids.map((p) => /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? "0");
  return kb.reduce((a, b) => a + Number(b), 0) / 1024;
}

interface Run {
  seconds: number;
  passed: number;
  total: number;
  mb: number;
  failed: string[];
}

async function runOnce(c: Candidate): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "mongo-compat-"));
  const port = await freePort();
  const env = { ...process.env, PATH, DIR: dir, PORT: String(port), PGPORT: String(await freePort()) };
  const t0 = performance.now();
  const pid = Number((await $({ env, quiet: true })`bash -ec ${c.start}`).stdout.trim().split("\n").at(-1));
  try {
    while (!(await canConnect(port))) {
      if (performance.now() - t0 > 60_000) throw new Error(`${c.name} did not listen on ${port} in 60 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - t0) / 1000;
    const url = `mongodb://127.0.0.1:${port}/`;
    const out = await $({
      cwd: SUITE,
      env: { ...env, MONGO_URL: url, UV_PYTHON_DOWNLOADS: "never" },
      nothrow: true,
      quiet: true,
    })`uv run --frozen pytest -q -rfE`;
    const passed = Number(/(\d+) passed/.exec(out.stdout)?.[1] ?? 0);
    // A test that errors in a fixture (no connection, say) counts as failed too.
    const failed = [...out.stdout.matchAll(/^(?:FAILED|ERROR) tests\/\S+::(\S+)/gm)].map((m) => m[1]);
    return { seconds, passed, total: passed + failed.length, mb: await rssMb(pid), failed };
  } finally {
    await $({ nothrow: true, quiet: true })`kill ${pid}`;
    if (c.start.includes("pg_ctl")) {
      await $({
        nothrow: true,
        quiet: true,
      })`su postgres -s /bin/sh -c ${`${PG_BIN}/pg_ctl -D ${dir}/pg stop -m immediate`}`;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
  await $({ cwd: SUITE, env: { ...process.env, PATH, UV_PYTHON_DOWNLOADS: "never" }, quiet: true })`uv sync --frozen`;
  console.log("| candidate | passed/total | start s (min / median / max) | memory MB | failing tests |");
  console.log("|---|---|---|---|---|");
  for (const c of CANDIDATES) {
    if (!c.available()) {
      console.log(`| ${c.name} | not installed here | | | |`);
      continue;
    }
    const runs: Run[] = [];
    try {
      for (let i = 0; i < Number(values.runs); i++) runs.push(await runOnce(c));
    } catch (e) {
      console.log(`| ${c.name} | did not start: ${String((e as Error).message).split("\n")[0]} | | | |`);
      continue;
    }
    const s = runs.map((r) => r.seconds);
    const start = [Math.min(...s), median(s), Math.max(...s)].map((x) => x.toFixed(2)).join(" / ");
    const last = runs.at(-1)!;
    const mb = median(runs.map((r) => r.mb)).toFixed(0);
    console.log(`| ${c.name} | ${last.passed}/${last.total} | ${start} | ${mb} | ${last.failed.join(", ")} |`);
  }
}

await main();
