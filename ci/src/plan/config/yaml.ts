/** Parse pipeline.yaml's text into plain data, refusing duplicate keys and Object.prototype's names in one pass. */
import { isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import { ConfigError } from "./error";

/**
 * Names every JavaScript object answers to (`constructor`, `__proto__`, `toString` …): as keys they would read as
 * present where nothing was written, or reach the prototype.
 */
export const RESERVED_KEYS = [...Object.getOwnPropertyNames(Object.prototype), "prototype"];
const RESERVED = new Set(RESERVED_KEYS);

/**
 * The most bytes a config file may hold: about a thousand times a full one, and a bound on what parsing costs (10 MB
 * of keys took 18 s and 862 MB, 15 MB over 2.5 GB and two minutes). Both runners check a file's size before reading
 * it, and parseYaml checks the text it is given.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The error for a config file of `bytes` bytes, when that is more than MAX_CONFIG_BYTES; else undefined. Pure. */
export function tooLargeConfig(bytes: number, file: string): ConfigError | undefined {
  if (bytes <= MAX_CONFIG_BYTES) return undefined;
  return new ConfigError(
    file,
    "",
    `is ${bytes} bytes, more than the ${MAX_CONFIG_BYTES} (1 MiB) a config file may hold`,
    "keep it under 1 MiB: it holds settings, not data (shorten its long lists and maps)",
  );
}

/** The file's YAML as plain data; undefined for no file, an empty one or only comments. */
export function parseYaml(text: string | undefined, file: string): unknown {
  if (text === undefined) return undefined;
  // A character is at most 3 UTF-8 bytes in a JavaScript string (4 for a pair of 2 code units): count only when needed.
  const bytes = text.length * 3 > MAX_CONFIG_BYTES ? new TextEncoder().encode(text).length : text.length;
  const large = tooLargeConfig(bytes, file);
  if (large) throw large;
  if (text.trim() === "") return undefined;
  // yaml's own unique-key check compares each key with every earlier one, so its time grows with the square of
  // the key count; checkKeys below does the same with a Set, in one pass.
  const doc = parseDocument(text, { uniqueKeys: false });
  const [error] = doc.errors;
  if (error) {
    throw new ConfigError(
      file,
      "",
      `is not valid YAML (${error.message.split("\n")[0]})`,
      "correct the YAML syntax at that line",
    );
  }
  checkKeys(doc.contents, "", file);
  return toData(doc, file);
}

/** The document as data; aliases that would expand without bound (an alias bomb) are refused, not expanded. */
function toData(doc: ReturnType<typeof parseDocument>, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 }) ?? undefined;
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message))
      throw new ConfigError(file, "", "uses aliases that expand too far", "write the values out instead of aliasing");
    throw e;
  }
}

function checkKeys(node: Node | null, at: string, file: string): void {
  if (isSeq(node)) {
    node.items.forEach((item, i) => checkKeys(item as Node, `${at}[${i}]`, file));
    return;
  }
  if (!isMap(node)) return;
  const seen = new Set<string>();
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (name === undefined)
      throw new ConfigError(file, at, "has a key that is not a plain name", "write each key as a plain word");
    const key = at ? `${at}.${name}` : name;
    if (RESERVED.has(name)) {
      throw new ConfigError(
        file,
        key,
        "is a name every JavaScript object already has, so it cannot be a key",
        "remove or rename it (constructor, __proto__, prototype, toString and the other Object.prototype names)",
      );
    }
    if (seen.has(name)) throw new ConfigError(file, key, "is given twice", "keep one of them");
    seen.add(name);
    checkKeys(pair.value as Node | null, key, file);
  }
}
