/**
 * The next commands a deploy or rollback message tells a person to type. Each names its target, so it runs as typed
 * against production too (a bare `rollback --list` is staging's). Pure.
 */

/** A server a typed command can name. */
export type TargetName = "staging" | "production";

const PIPELINE = "npm run pipeline --";

/** `rollback --target T --list`: the releases, current, BAD and where a rollback goes. */
export const listCommand = (t: TargetName): string => `${PIPELINE} rollback --target ${t} --list`;

/** `rollback --target T`, or `--to ID`. */
export const rollbackCommand = (t: TargetName, to?: string): string =>
  `${PIPELINE} rollback --target ${t}${to ? ` --to ${to}` : ""}`;

/** `deploy-T`: deploy a (fixed) commit. */
export const deployCommand = (t: TargetName): string => `${PIPELINE} deploy-${t}`;
