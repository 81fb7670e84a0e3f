import { InputError } from "../errors";

/** A config that is wrong: names the file, the key and the fix. */
export class ConfigError extends InputError {
  constructor(
    readonly file: string,
    readonly key: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${file}: ${key ? `\`${key}\` ` : ""}${problem}. Fix: ${fix}`);
  }
}
