/**
 * The one error model. Every error the pipeline raises on purpose extends one of these two,
 * and each entry point maps an error to its exit code by class (exitCodeOf), never by a list.
 */

/**
 * How every input error's message starts, on both runners: the host CLI exits 2, while `dagger call` exits 1 for any
 * error a function throws (the SDK's entrypoint), so in module mode this prefix is what tells input from failure.
 */
export const INPUT_ERROR_PREFIX = "input error: ";

/** The caller's input is wrong (flag, config, secret, file): nothing ran; the message says the fix. Exit 2. */
export class InputError extends Error {
  readonly exitCode: number = 2;
  constructor(message: string) {
    super(message.startsWith(INPUT_ERROR_PREFIX) ? message : INPUT_ERROR_PREFIX + message);
    this.name = new.target.name;
  }
}

/** A stage ran and failed: the message says what failed, where things stand and the next command. Exit 1. */
export class StageFailure extends Error {
  readonly exitCode: number = 1;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The exit code for anything thrown: 2 for input, 1 for a stage failure or an unexpected error. */
export function exitCodeOf(e: unknown): number {
  return e instanceof InputError || e instanceof StageFailure ? e.exitCode : 1;
}

/** True when the error's message is the whole story (no stack trace needed). */
export function isExpected(e: unknown): e is InputError | StageFailure {
  return e instanceof InputError || e instanceof StageFailure;
}
