/**
 * The one error model. Every error the pipeline raises on purpose extends one of these two,
 * and each entry point maps an error to its exit code by class (exitCodeOf), never by a list.
 */

/** The caller's input is wrong (flag, config, secret, file): nothing ran; the message says the fix. Exit 2. */
export class InputError extends Error {
  readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
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
