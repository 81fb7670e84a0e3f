/**
 * Valibot issues as ConfigErrors. Each schema's message is `say(problem, fix)`: both halves travel through valibot
 * as one string, and the fix may name `{key}` (the dotted path) or `{name}` (its last key), known only here.
 */
import type { BaseIssue } from "valibot";
import { ConfigError } from "./error";

interface Said {
  problem: string;
  fix: string;
}

/** A schema message: what is wrong and how to write it instead. */
export function say(problem: string, fix: string): string {
  return JSON.stringify({ problem, fix } satisfies Said);
}

/** The ConfigError for the first issue valibot found, naming the key as the file spells it. */
export function configErrorOf(issue: BaseIssue<unknown>, file: string): ConfigError {
  let key = "";
  let name = "";
  for (const item of issue.path ?? []) {
    if (item.type === "array") {
      key += `[${String(item.key)}]`;
      continue;
    }
    name = String(item.key);
    key = key ? `${key}.${name}` : name;
  }
  const said = readSaid(issue.message);
  const fix = said.fix.replaceAll("{key}", key || "the top level").replaceAll("{name}", name || "key");
  return new ConfigError(file, key, said.problem, fix);
}

function readSaid(message: string): Said {
  try {
    const said = JSON.parse(message) as Partial<Said>;
    if (typeof said.problem === "string" && typeof said.fix === "string")
      return { problem: said.problem, fix: said.fix };
  } catch {
    // A message valibot wrote itself: show it as it is.
  }
  return { problem: `is wrong (${message})`, fix: "write it as docs/config.md shows" };
}
