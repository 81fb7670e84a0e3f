/**
 * Whether the GitHub Actions runner reads a line of a step's output as a workflow command: the two parsers of
 * actions/runner's src/Runner.Common/ActionCommand.cs, which ActionCommandManager.TryProcessCommand tries in turn on
 * every line. TryParseV2: the line, its leading blanks trimmed, starts with `::` and holds a second `::` after it.
 * TryParse (the legacy form): `##[` anywhere in the line, then a `]` after it. Either way only a registered command
 * counts (add-mask, stop-commands, set-output, save-state, error, warning, notice, debug, group, endgroup, echo, …).
 */
const COMMANDS = [
  "add-mask",
  "stop-commands",
  "set-output",
  "save-state",
  "set-env",
  "add-path",
  "error",
  "warning",
  "notice",
  "debug",
  "group",
  "endgroup",
  "echo",
  "add-matcher",
  "remove-matcher",
];

/** The command the runner would run for `line`, or undefined. */
export function workflowCommandOf(line: string): string | undefined {
  const named = (info: string) => {
    const name = info.split(" ")[0];
    return COMMANDS.includes(name.toLowerCase()) ? name : undefined;
  };
  const t = line.trimStart();
  if (t.startsWith("::")) {
    const end = t.indexOf("::", 2);
    if (end >= 0 && named(t.slice(2, end))) return named(t.slice(2, end));
  }
  const start = line.indexOf("##[");
  if (start < 0) return undefined;
  const rb = line.indexOf("]", start);
  return rb < 0 ? undefined : named(line.slice(start + 3, rb));
}
