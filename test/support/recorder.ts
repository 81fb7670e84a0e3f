import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, join } from "node:path";
import { Kind, parse, type ArgumentNode, type FieldNode, type SelectionSetNode, type ValueNode } from "graphql";
import { firstInvalidUtf8 } from "../../ci/src/plan/config/utf8";

/**
 * A recording of the GraphQL requests the real Dagger SDK client sends: an HTTP
 * endpoint that stores each query and answers with placeholder IDs. It is not an
 * engine: nothing is built or run; it only shows which container graph a function asks for.
 */

/** One field call of a query chain, with its arguments; object IDs are resolved to their own chains. */
export interface Call {
  field: string;
  args: Record<string, unknown>;
}

/** A recorded query as a chain of calls from the root to the leaf. */
export type Chain = Call[];

export interface Recording {
  /** Every query received, as chains (one chain per leaf). */
  chains: Chain[];
  /** Raw query texts, for secret-leak checks. */
  queries: string[];
  /** Per container image, the most exec answers held at once (with holdExecMs): how many ran side by side. */
  peakExecs: Map<string, number>;
  close(): Promise<void>;
  env: { DAGGER_SESSION_PORT: string; DAGGER_SESSION_TOKEN: string };
}

/** An exec the recording answers with the engine's EXEC_ERROR, as if the command had failed. */
export interface ExecFailure {
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Answers a leaf (e.g. `stdout` of an exec) with a value of the test's choosing, as a command's output would;
 * undefined keeps the default answer. Only for outputs a function reads back, such as a record on a server.
 */
export type LeafAnswer = (field: string, chain: Chain) => unknown;

/**
 * How the engine fails a leaf whose graph it cannot evaluate: an exec that exited outside the expected codes (the
 * SDK turns the EXEC_ERROR extensions into ExecError), or any other error (a path an exec never created).
 */
export type LeafFailure = { exec: ExecFailure } | { message: string };

/** Fails a leaf (any but `id`, which evaluates nothing) as the engine would; undefined lets it pass. */
export type FailRule = (chain: Chain) => LeafFailure | undefined;

export interface RecorderOptions {
  token?: string;
  /** Fail `sync`/`stdout` of a container whose exec has this argv. */
  failExec?: ExecFailure;
  answer?: LeafAnswer;
  fail?: FailRule;
  /** Hold each answer to a container's exec (`sync`/`stdout`) this long, as a command takes time to run. */
  holdExecMs?: number;
}

export async function startRecorder(opts: RecorderOptions = {}): Promise<Recording> {
  const token = opts.token ?? "recorder-token";
  const chains: Chain[] = [];
  const queries: string[] = [];
  const ids = new Map<string, Chain>();
  const peakExecs = new Map<string, number>();
  const running = new Map<string, number>();
  let next = 0;

  const answer = (set: SelectionSetNode, chain: Chain): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const sel of set.selections) {
      // `node(id:) { ... on Directory { id } }`: how the module runtime loads an object from its ID.
      if (sel.kind === Kind.INLINE_FRAGMENT) Object.assign(out, answer(sel.selectionSet, chain));
      if (sel.kind !== Kind.FIELD) continue;
      const call: Call = { field: sel.name.value, args: argsOf(sel, ids) };
      const here = [...chain, call];
      out[sel.alias?.value ?? sel.name.value] = sel.selectionSet ? answer(sel.selectionSet, here) : leaf(sel, here);
    }
    return out;
  };
  const leaf = (sel: FieldNode, given: Chain): unknown => {
    const chain = throughNode(given);
    chains.push(chain);
    const name = sel.name.value;
    const answered = opts.answer?.(name, chain);
    if (answered !== undefined) return answered;
    if (name === "id" || name === "sync") {
      const id = `ID-${++next}`;
      ids.set(id, chain.slice(0, -1));
      return id;
    }
    if (name === "exitCode") return 0;
    if (name === "plaintext") return secretPlaintext(chain);
    if (name === "entries") return hostEntries(chain);
    if (name === "contents") return hostContents(chain);
    if (name === "size") return hostSize(chain);
    if (name === "glob") return hostGlob(chain);
    if (name === "name" && chain.at(-2)?.field === "file") return basename(String(chain.at(-2)!.args.path));
    return "";
  };

  const server: Server = createServer((req, res) => {
    const auth = req.headers.authorization ?? "";
    if (auth !== `Basic ${Buffer.from(`${token}:`).toString("base64")}`) {
      res.writeHead(401).end();
      return;
    }
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      try {
        respond();
      } catch (e) {
        // Answer the client instead of leaving it waiting, so a broken recording fails fast.
        res.writeHead(500).end(String(e));
      }
    });
    const respond = () => {
      const { query } = JSON.parse(body) as { query: string };
      queries.push(query);
      const doc = parse(query);
      const op = doc.definitions[0];
      const before = chains.length;
      const data = op.kind === Kind.OPERATION_DEFINITION ? answer(op.selectionSet, []) : {};
      const failure = chains
        .slice(before)
        .map((ch) => failureOf(ch, opts))
        .find((f) => f !== undefined);
      const reply = failure ? { data: null, errors: [errorOf(failure)] } : { data };
      const send = () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
      const image = chains
        .slice(before)
        .map(execImage)
        .find((i) => i !== undefined);
      if (!opts.holdExecMs || image === undefined) return send();
      running.set(image, (running.get(image) ?? 0) + 1);
      peakExecs.set(image, Math.max(peakExecs.get(image) ?? 0, running.get(image) ?? 0));
      setTimeout(() => {
        running.set(image, (running.get(image) ?? 1) - 1);
        send();
      }, opts.holdExecMs);
    };
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    chains,
    queries,
    peakExecs,
    env: { DAGGER_SESSION_PORT: String(port), DAGGER_SESSION_TOKEN: token },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The image of a container chain that ends by running its exec (`sync`/`stdout`), else undefined. */
function execImage(chain: Chain): string | undefined {
  if (!["sync", "stdout"].includes(chain.at(-1)?.field ?? "") || !chain.some((c) => c.field === "withExec"))
    return undefined;
  return chain.find((c) => c.field === "from")?.args.address as string | undefined;
}

function failureOf(chain: Chain, opts: RecorderOptions): LeafFailure | undefined {
  const field = chain.at(-1)?.field ?? "";
  if (field === "id") return undefined;
  const f = opts.failExec;
  if (
    f &&
    ["sync", "stdout"].includes(field) &&
    chain.some((c) => c.field === "withExec" && sameArgv(c.args.args, f.argv))
  )
    return { exec: f };
  return opts.fail?.(chain);
}

/** The GraphQL error the engine sends; `_type: EXEC_ERROR` is what the SDK's compute() turns into ExecError. */
function errorOf(f: LeafFailure): { message: string; extensions?: Record<string, unknown> } {
  if ("message" in f) return { message: f.message };
  return {
    message: "process did not complete successfully",
    extensions: {
      _type: "EXEC_ERROR",
      cmd: f.exec.argv,
      exitCode: f.exec.exitCode,
      stdout: f.exec.stdout,
      stderr: f.exec.stderr,
    },
  };
}

/** Every call a chain depends on, its arguments' object chains included (a merge depends on the shards it reads). */
export function callsUnder(chain: Chain): Call[] {
  const out: Call[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) visit(x);
    else if (v && typeof v === "object" && "field" in v && "args" in v) {
      out.push(v as Call);
      visit((v as Call).args);
    } else if (v && typeof v === "object") for (const x of Object.values(v)) visit(x);
  };
  visit(chain);
  return out;
}

/** True when a chain (or an object it reads) runs an exec with exactly this argv. */
export function runsExec(chain: Chain, argv: string[]): boolean {
  return callsUnder(chain).some((c) => c.field === "withExec" && sameArgv(c.args.args, argv));
}

/** A chain that starts from `node(id:)` continues the chain that made the ID, as the engine loads it. */
function throughNode(chain: Chain): Chain {
  const id = chain[0]?.field === "node" ? chain[0].args.id : undefined;
  return Array.isArray(id) ? [...(id as Chain), ...chain.slice(1)] : chain;
}

function sameArgv(a: unknown, b: string[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
}

function argsOf(field: FieldNode, ids: Map<string, Chain>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of field.arguments ?? []) out[a.name.value] = valueOf(a.value, ids, a);
  return out;
}

function valueOf(v: ValueNode, ids: Map<string, Chain>, a: ArgumentNode): unknown {
  switch (v.kind) {
    case Kind.STRING:
      return ids.get(v.value) ?? v.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(v.value);
    case Kind.BOOLEAN:
      return v.value;
    case Kind.ENUM:
      return v.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return v.values.map((x) => valueOf(x, ids, a));
    case Kind.OBJECT:
      return Object.fromEntries(v.fields.map((f) => [f.name.value, valueOf(f.value, ids, a)]));
    default:
      return undefined;
  }
}

/**
 * A secret's plaintext as the engine resolves it (`env://VAR` from this process's env, setSecret's own value), so a
 * runner that read it and put it in a query would be caught by a check on the recorded queries.
 */
function secretPlaintext(chain: Chain): string {
  const set = chain.find((c) => c.field === "setSecret");
  if (set) return set.args.plaintext as string;
  const uri = chain.find((c) => c.field === "secret")?.args.uri;
  return typeof uri === "string" && uri.startsWith("env://") ? (process.env[uri.slice(6)] ?? "") : "";
}

/** `entries` of a host directory chain answer with the real listing, so config reading works. */
function hostEntries(chain: Chain): string[] {
  const host = chain.find((c) => c.field === "directory" && typeof c.args.path === "string");
  if (!host) return [];
  let dir = host.args.path as string;
  for (const c of chain.slice(chain.indexOf(host) + 1))
    if (c.field === "directory") dir = join(dir, c.args.path as string);
  try {
    return readdirSync(dir).map((n) => (statSync(join(dir, n)).isDirectory() ? `${n}/` : n));
  } catch {
    return [];
  }
}

/** A `glob` of a host directory chain answers with the real recursive listing (files only), as the engine would. */
function hostGlob(chain: Chain): string[] {
  const host = chain.find((c) => c.field === "directory" && typeof c.args.path === "string");
  if (!host || chain.some((c) => c.field === "container")) return [];
  const walk = (dir: string, rel: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name), `${rel}${e.name}/`) : [`${rel}${e.name}`],
    );
  return walk(host.args.path as string, "");
}

/** The path on this machine of a host file chain (`host.file(f)`, `host.directory(p)…file(f)`), if it is one. */
function hostFile(chain: Chain): string | undefined {
  const at = chain.findIndex((c) => c.field === "host");
  if (at >= 0 && chain[at + 1]?.field === "file") return chain[at + 1].args.path as string;
  const host = chain.find((c) => c.field === "directory" && typeof c.args.path === "string");
  const file = [...chain].reverse().find((c) => c.field === "file");
  if (!host || !file || chain.some((c) => c.field === "container")) return undefined;
  let dir = host.args.path as string;
  for (const c of chain.slice(chain.indexOf(host) + 1, chain.indexOf(file)))
    if (c.field === "directory") dir = join(dir, c.args.path as string);
  return join(dir, file.args.path as string);
}

/**
 * `contents` of a host file chain answer with the real file, so plans can read manifests: as the engine's JSON sends
 * it (Go's encoding/json), each byte that is not UTF-8 becomes U+FFFD.
 */
function hostContents(chain: Chain): string {
  const path = hostFile(chain);
  if (!path) return "";
  try {
    return engineText(readFileSync(path));
  } catch {
    return "";
  }
}

/** `size` of a host file chain: its real size in bytes. */
function hostSize(chain: Chain): number {
  const path = hostFile(chain);
  try {
    return path ? statSync(path).size : 0;
  } catch {
    return 0;
  }
}

/** Bytes as Go's encoding/json writes a string: each byte that starts no well-formed UTF-8 sequence becomes U+FFFD. */
export function engineText(bytes: Buffer): string {
  let out = "";
  for (let rest = bytes; ;) {
    const bad = firstInvalidUtf8(rest);
    if (bad < 0) return out + rest.toString("utf8");
    out += `${rest.subarray(0, bad).toString("utf8")}\uFFFD`;
    rest = rest.subarray(bad + 1);
  }
}

/** The chain behind a container graph: the calls after `container` up to (not including) the leaf. */
export function containerCalls(chain: Chain): Call[] {
  const start = chain.findIndex((c) => c.field === "container");
  return start < 0 ? [] : chain.slice(start + 1, -1);
}
