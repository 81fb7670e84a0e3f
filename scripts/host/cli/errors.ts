/** The CLI's own input errors, and commander's parse errors turned into one line that says the fix. */
import type { Command, CommanderError } from "commander";
import { InputError } from "../../../ci/src/plan/errors";

/** A flag, argument or command the CLI refuses before anything runs. Exit 2. */
export class CliInputError extends InputError {}

/** Names the commands had before they took the `dagger call` names (the Dagger CLI spells `e2e` as `e-2-e`). */
const RENAMED: Record<string, string> = {
  e2e: "end-to-end",
  "e2e-shard": "end-to-end-shard",
  "e2e-merge": "end-to-end-merge",
};

/** Commander's codes that are not errors: help or the version was asked for and printed. */
const PRINTED = new Set(["commander.helpDisplayed", "commander.version"]);

/** True when commander stopped because it printed what was asked (help), not because the input is wrong. */
export const isPrinted = (e: CommanderError): boolean =>
  PRINTED.has(e.code) || (e.code === "commander.help" && e.exitCode === 0);

/** `npm run pipeline -- <cmd> --help`, the fix every parse error points at. */
export const helpLine = (cmd: Command): string => `npm run pipeline -- ${commandPath(cmd)} --help`.replace("  ", " ");

function commandPath(cmd: Command): string {
  return cmd.parent ? `${commandPath(cmd.parent)} ${cmd.name()}`.trim() : "";
}

/** Commander's error (raised while parsing `cmd`'s arguments) as one line naming the flag and the fix. */
export function parseErrorOf(e: CommanderError, cmd: Command): CliInputError {
  const text = e.message.replace(/^error: /, "");
  if (e.code === "commander.unknownOption") return unknownOption(text, cmd);
  if (e.code === "commander.unknownCommand") {
    const name = /'([^']*)'/.exec(text)?.[1] ?? "";
    const hint = name in RENAMED ? ` (did you mean ${RENAMED[name]}?)` : suggestion(text);
    return new CliInputError(`unknown command "${name}"${hint}; list the commands with: npm run pipeline -- --help`);
  }
  if (e.code === "commander.help") return new CliInputError(`name a command; list them with: ${helpLine(cmd)}`);
  return new CliInputError(`${oneLine(text)}; see: ${helpLine(cmd)}`);
}

/** An option the command does not take: where it belongs (a misplaced flag), or the nearest one it takes. */
function unknownOption(text: string, cmd: Command): CliInputError {
  const flag = (/'([^']*)'/.exec(text)?.[1] ?? "").split("=")[0];
  const siblings = cmd.parent ? cmd.parent.commands : cmd.commands;
  const all = siblings.filter((c) => c.options.some((o) => o.long === flag)).map((c) => c.name());
  const owners = all.length > 3 ? [...all.slice(0, 3), "…"] : all;
  if (!cmd.parent && owners.length)
    return new CliInputError(
      `${flag} goes after the command it belongs to (${owners.join(", ")}), e.g. npm run pipeline -- ${all[0]} ${flag} …`,
    );
  const where = owners.length ? ` (it is an option of ${owners.join(", ")})` : suggestion(text);
  const who = commandPath(cmd) || "npm run pipeline";
  return new CliInputError(`${who} has no option ${flag}${where}; see: ${helpLine(cmd)}`);
}

/** Commander's "(Did you mean x?)" line, as " (did you mean x?)". */
function suggestion(text: string): string {
  const m = /\(Did you mean (.*)\?\)/.exec(text);
  return m ? ` (did you mean ${m[1]}?)` : "";
}

function oneLine(text: string): string {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ")
    .replace(/\.$/, "");
}
