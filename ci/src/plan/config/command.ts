/** Commands in pipeline.yaml: a whitespace-separated string or an argv list, run without a shell. */
import { ConfigError, shown } from "./error";
import { CONFIG_FILE } from "./defaults";

/** Characters that mean something only to a shell, which the runners never start. */
export const SHELL_SYNTAX = /["'`$|&;<>()\\*?]/;
/** Not blank and free of SHELL_SYNTAX, whole: one pattern, as the JSON Schema needs it. */
export const COMMAND_LINE = /^(?=[\s\S]*\S)[^"'`$|&;<>()\\*?]*$/;
export const COMMAND_EXAMPLE = '"npm run lint" or ["npm", "run", "lint"]';

export const notACommand = { problem: "must be a command", fix: `write it like {name}: ${COMMAND_EXAMPLE}` };

export function usesShell(value: string): { problem: string; fix: string } {
  return {
    problem: `${shown(value)} uses shell syntax, and commands run without a shell`,
    fix: 'write it as an argv list, e.g. {name}: ["pytest", "-m", "not e2e"]',
  };
}

/** Turn a config command into argv. Strings are split on whitespace; shell syntax is refused. */
export function toArgv(value: unknown, key = "command", file = CONFIG_FILE): string[] {
  const name = key.split(".").pop() ?? key;
  const fail = (said: { problem: string; fix: string }) =>
    new ConfigError(file, key, said.problem, said.fix.replaceAll("{name}", name));
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" && v !== ""))
    return value as string[];
  if (typeof value === "string" && value.trim() !== "") {
    if (SHELL_SYNTAX.test(value)) throw fail(usesShell(value));
    return value.trim().split(/\s+/);
  }
  throw fail(notACommand);
}
