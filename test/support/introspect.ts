import { copyFileSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { startRecorder } from "./recorder";

const ROOT = resolve(import.meta.dirname, "../..");
const SDK = join(ROOT, "node_modules/@dagger.io/dagger/dist/src");

/** Scan ci/src with the SDK's own introspector (the one the engine runs), without an engine. */
export async function introspectModule(): Promise<ModuleShape> {
  return JSON.parse(JSON.stringify((await scanModule()).toJSON())) as ModuleShape;
}

/**
 * The introspector's own scan result (not its JSON, which leaves out each function's cache policy), for the SDK's
 * Register.
 */
export async function scanModule(files = ciSources()): Promise<{ toJSON(): unknown }> {
  // The package's exports map hides the introspector, so load it by file URL.
  const { scan } = await import(pathToFileURL(join(SDK, "module/introspector/index.js")).href);
  // Core types (Directory, Secret, ...) are recognised only from a non-declaration *client.gen.ts file.
  const gen = join(mkdtempSync(join(tmpdir(), "introspect-")), "client.gen.ts");
  copyFileSync(join(SDK, "api/client.gen.d.ts"), gen);
  return scan([...files, gen], "ci", false);
}

/** Scan other module sources (a fixture's), as the module's own are. */
export async function introspectSources(files: string[]): Promise<ModuleShape> {
  return JSON.parse(JSON.stringify((await scanModule(files)).toJSON())) as ModuleShape;
}

/** The module's top-level source files, where its objects are declared. */
function ciSources(): string[] {
  const srcDir = join(ROOT, "ci/src");
  return readdirSync(srcDir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(srcDir, f));
}

/**
 * Load the SDK's Register: what the module runtime calls to send the scanned functions (with cache policies) to the
 * engine.
 */
export async function loadRegister(): Promise<new (scan: unknown) => { run(): Promise<string> }> {
  return (await import(pathToFileURL(join(SDK, "module/entrypoint/register.js")).href)).Register;
}

export interface ModuleShape {
  name: string;
  objects: Record<string, ObjectShape>;
}

export interface ObjectShape {
  name: string;
  description: string;
  methods: Record<string, FunctionShape>;
}

/**
 * An object's constructor arguments; none when the class declares no constructor. The JSON has the key `constructor`
 * only then, so it is read as an own property (else every object would "have" Object's constructor).
 */
export function constructorArgs(o: ObjectShape): FunctionShape["arguments"] {
  return (Object.getOwnPropertyDescriptor(o, "constructor")?.value as FunctionShape | undefined)?.arguments ?? {};
}

export interface FunctionShape {
  name: string;
  description: string;
  cache?: string;
  arguments: Record<
    string,
    {
      name: string;
      description: string;
      type: unknown;
      defaultValue?: string;
      defaultPath?: string;
      ignore?: string[];
      isNullable?: boolean;
    }
  >;
  returnType: unknown;
}

/**
 * Each function's cache policy as the SDK's own Register declares it to the engine at load (the introspector's JSON
 * has no policy): Register runs against a recorder; the answer reads a function's policy from what it recorded.
 */
export async function registeredCachePolicies(): Promise<(fn: string) => string | undefined> {
  const [scan, Register] = await Promise.all([scanModule(), loadRegister()]);
  const rec = await startRecorder();
  const saved = { ...process.env };
  Object.assign(process.env, rec.env);
  try {
    const { connection } = await import("@dagger.io/dagger");
    await connection(async () => void (await new Register(scan).run()));
  } finally {
    process.env = saved;
    await rec.close();
  }
  const fns = rec.chains.filter((ch) => ch[0]?.field === "function");
  return (fn) => {
    const ch = fns.find((c) => c[0].args.name === fn);
    if (!ch) throw new Error(`${fn} was not registered`);
    return ch.find((c) => c.field === "withCachePolicy")?.args.policy as string | undefined;
  };
}
