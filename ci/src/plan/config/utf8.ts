/** A config file's bytes as text, refused when they are not UTF-8 (a decoder would turn them into U+FFFD silently). */
import { ConfigError } from "./error";

/** The byte ranges a sequence's second byte may take after a given lead byte (no overlongs, no surrogates). */
function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

/** How many bytes follow a lead byte, or -1 when it cannot start a UTF-8 sequence. */
function trailCount(lead: number): number {
  if (lead < 0x80) return 0;
  if (lead >= 0xc2 && lead <= 0xdf) return 1;
  if (lead >= 0xe0 && lead <= 0xef) return 2;
  if (lead >= 0xf0 && lead <= 0xf4) return 3;
  return -1;
}

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1 when all are. Pure. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    const trail = trailCount(lead);
    if (trail < 0) return i;
    for (let k = 1; k <= trail; k++) {
      const [lo, hi] = k === 1 ? secondByteRange(lead) : [0x80, 0xbf];
      const b = bytes[i + k];
      if (b === undefined || b < lo || b > hi) return i;
    }
    i += trail + 1;
  }
  return -1;
}

/** The file's text; a ConfigError naming the byte offset and line of the first byte that is not UTF-8. Pure. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  const at = firstInvalidUtf8(bytes);
  if (at < 0) return new TextDecoder("utf-8").decode(bytes);
  const line = bytes.subarray(0, at).filter((b) => b === 0x0a).length + 1;
  const hex = bytes[at].toString(16).padStart(2, "0");
  throw notUtf8Error(file, `byte 0x${hex} at offset ${at} (line ${line})`);
}

function notUtf8Error(file: string, where: string): ConfigError {
  return new ConfigError(
    file,
    "",
    `is not UTF-8 text: ${where}`,
    "save the file as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8), or remove that byte",
  );
}

/**
 * A file's text as the Dagger engine sends it (`File.contents`), checked against its size in bytes (`File.size`): the
 * engine's JSON turns each byte that is not UTF-8 into U+FFFD (three bytes), so a text longer than the file had such
 * bytes. Refused as decodeUtf8 refuses them, at the first U+FFFD (the byte's own value does not reach the module).
 * Pure.
 */
export function checkEngineText(text: string, size: number, file: string): string {
  const utf8 = new TextEncoder();
  if (utf8.encode(text).length === size) return text;
  const at = Math.max(0, text.indexOf("\uFFFD"));
  const line = text.slice(0, at).split("\n").length;
  throw notUtf8Error(file, `byte at offset ${utf8.encode(text.slice(0, at)).length} (line ${line})`);
}
