/** Release ids: a sortable UTC timestamp plus the short commit, e.g. 20261126T231501Z-3520442. */
import { InputError } from "../errors";
import { listCommand, type TargetName } from "./nextCommand";

const RELEASE_ID = /^\d{8}T\d{6}Z-[0-9a-f]{7,40}$/;

/** RELEASE_ID as a bash `[[ =~ ]]` pattern (POSIX ERE: no `\\d`), for a script on the server. */
export const RELEASE_ID_ERE = "^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{7,40}$";

/** A release id that is not of the form 20261126T231501Z-3520442 (e.g. `../x`). */
export class InvalidReleaseIdError extends InputError {
  constructor(
    readonly id: string,
    target: TargetName = "staging",
  ) {
    super(`"${id}" is not a release id (like 20261126T231501Z-3520442); list them with: ${listCommand(target)}`);
  }
}

/** The id of a release of `commit` made at `now`. Pure. */
export function makeReleaseId(now: Date, commit: string): string {
  const short = commit.toLowerCase().slice(0, 7);
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
  return validateReleaseId(`${stamp}-${short}`);
}

/** Return the id unchanged when it is a well-formed release id, else throw InvalidReleaseIdError. */
export function validateReleaseId(id: string, target?: TargetName): string {
  if (!RELEASE_ID.test(id)) throw new InvalidReleaseIdError(id, target);
  return id;
}

export function isReleaseId(id: string): boolean {
  return RELEASE_ID.test(id);
}
