/** Options several commands share: the source repository and its config file. */
import { existsSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Option, type Command } from "commander";
import { CONFIG_FILE } from "../../../ci/src/plan/config/defaults";
import { CliInputError } from "./errors";
import { existing, givenPath, isInside, realOf, shown } from "./values";

export const DEFAULT_SOURCE = resolve(import.meta.dirname, "../../../examples/app");

/** What every command given `--source`/`--config` receives: both real, the config inside the source. */
export interface SourceOptions {
  source: string;
  config: string;
}

/** `--source DIR`: the app's repository, an existing directory (default: the bundled example app). */
export function withSource(cmd: Command): Command {
  return cmd.addOption(
    new Option("--source <dir>", "the app's repository")
      .default(DEFAULT_SOURCE, "examples/app")
      .argParser(existing("--source", "directory")),
  );
}

/** `--source DIR` and `--config FILE` (relative to the source, and kept inside it). */
export function withSourceAndConfig(cmd: Command): Command {
  return withSource(cmd).option("--config <file>", "the pipeline config, relative to --source", CONFIG_FILE);
}

/**
 * The source and config a command reads: the config file resolved through symlinks must be a file inside the source
 * (repository code is untrusted: a `pipeline.yaml` linked to a file elsewhere is not read). An absent default config
 * is fine (the defaults apply); an absent named one is not.
 */
export function sourceAndConfig(o: { source: string; config: string }): SourceOptions {
  // The default --source is not parsed by commander, so it is made real here too.
  const source = realOf("--source", o.source);
  const path = resolve(source, givenPath("--config", o.config));
  if (!existsSync(path)) {
    if (o.config === CONFIG_FILE) return { source, config: o.config };
    throw new CliInputError(
      `--config ${shown(o.config)} does not exist in ${shown(source)}; pass a file inside --source`,
    );
  }
  const real = realOf("--config", path);
  if (statSync(real).isDirectory())
    throw new CliInputError(
      `--config ${shown(o.config)} is a directory; pass the YAML file, e.g. --config ${shown(join(o.config, CONFIG_FILE))}`,
    );
  if (!isInside(source, real))
    throw new CliInputError(
      `--config ${shown(o.config)} resolves to ${shown(real)}, outside --source ${shown(source)}; pass a file inside the repository`,
    );
  return { source, config: relative(source, real) };
}
