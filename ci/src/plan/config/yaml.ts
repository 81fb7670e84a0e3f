/** Parse pipeline.yaml's text into plain data, refusing duplicate keys and Object.prototype's names in one pass. */
import { isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import { ConfigError } from "./error";

/**
 * Names every JavaScript object answers to (`constructor`, `__proto__`, `toString` …): as keys they would read as
 * present where nothing was written, or reach the prototype.
 */
export const RESERVED_KEYS = [...Object.getOwnPropertyNames(Object.prototype), "prototype"];
const RESERVED = new Set(RESERVED_KEYS);

/** The file's YAML as plain data; undefined for no file, an empty one or only comments. */
export function parseYaml(text: string | undefined, file: string): unknown {
  if (text === undefined || text.trim() === "") return undefined;
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
