/**
 * The flags `dagger call` already defines, read from the dagger/dagger source at tag v0.21.8
 * (commit 7902e644beeba4468f1ea786015b4be1d6d5bbcd), the engine the lab builds. A function or constructor argument
 * whose CLI name is one of these makes the CLI fail before it calls anything: `AddFlag` in cmd/dagger/flags.go returns
 * "flag already exists: <name>" when the name is taken (seen for `plan`'s old `json` argument).
 * `value` says whether the flag takes the next word as its value, for reading typed `dagger call` lines.
 */
export interface DaggerFlag {
  name: string;
  short?: string;
  value: boolean;
  /** Where v0.21.8 defines it: file:line, function. */
  from: string;
}

const MAIN = "cmd/dagger/main.go";
const GLOBAL = `${MAIN} installGlobalFlags, on rootCmd.PersistentFlags() (main.go:699)`;
const MODULE = "cmd/dagger/module.go moduleAddFlags, on callModCmd's PersistentFlags (module.go:147)";
const CALL = "cmd/dagger/functions.go FuncCommand.Command, on the call command's PersistentFlags";

export const DAGGER_CALL_FLAGS: DaggerFlag[] = [
  { name: "help", short: "h", value: false, from: `${MAIN}:196 rootCmd.PersistentFlags().BoolP` },
  { name: "output", short: "o", value: true, from: `cmd/dagger/functions.go:247, ${CALL}` },
  { name: "json", short: "j", value: false, from: `cmd/dagger/functions.go:249, ${CALL}` },
  { name: "mod", short: "m", value: true, from: `cmd/dagger/module.go:130, ${MODULE}` },
  { name: "no-mod", short: "M", value: false, from: `cmd/dagger/module.go:132, ${MODULE}` },
  { name: "allow-llm", value: true, from: `cmd/dagger/module.go:140, ${MODULE}` },
  { name: "eager-runtime", value: false, from: `cmd/dagger/module.go:143, ${MODULE}` },
  { name: "workdir", value: true, from: `${MAIN}:376, ${GLOBAL}` },
  { name: "verbose", short: "v", value: false, from: `${MAIN}:377 (a count), ${GLOBAL}` },
  { name: "quiet", short: "q", value: false, from: `${MAIN}:378 (a count), ${GLOBAL}` },
  { name: "silent", short: "s", value: false, from: `${MAIN}:379, ${GLOBAL}` },
  { name: "debug", short: "d", value: false, from: `${MAIN}:380, ${GLOBAL}` },
  { name: "progress", value: true, from: `${MAIN}:381, ${GLOBAL}` },
  { name: "lock", value: true, from: `${MAIN}:382, ${GLOBAL}` },
  { name: "interactive", short: "i", value: false, from: `${MAIN}:383, ${GLOBAL}` },
  { name: "interactive-command", value: true, from: `${MAIN}:384, ${GLOBAL}` },
  { name: "web", short: "w", value: false, from: `${MAIN}:385, ${GLOBAL}` },
  { name: "no-exit", short: "E", value: false, from: `${MAIN}:386, ${GLOBAL}` },
  { name: "auto-apply", short: "y", value: false, from: `${MAIN}:387, ${GLOBAL}` },
  { name: "x-release", value: true, from: `${MAIN}:388, ${GLOBAL}` },
  { name: "dot-output", value: true, from: `${MAIN}:390, ${GLOBAL}` },
  { name: "dot-focus-field", value: true, from: `${MAIN}:391, ${GLOBAL}` },
  { name: "dot-show-internal", value: false, from: `${MAIN}:392, ${GLOBAL}` },
  { name: "cloud", value: false, from: `${MAIN}:396 (hidden), ${GLOBAL}` },
  { name: "scale-out", value: false, from: `${MAIN}:400 (hidden), ${GLOBAL}` },
];
