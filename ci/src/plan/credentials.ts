/**
 * URLs as logs and messages show them: the `user:token@` part of any URL is written as `***@`, so a registry token
 * in a config value or a step's argument never reaches a terminal, a log or a report. Pure.
 */

/** A URL's scheme and `//` (or `\\`, which browsers and the WHATWG parser read as `/`), then its userinfo and `@`. */
const USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:[/\\]{2})[^\s/\\?#@]*@/g;

/** True when `text` holds a URL with credentials (`https://user:token@host/`). */
export function hasCredentials(text: string): boolean {
  return new RegExp(USERINFO.source).test(text);
}

/** `text` with each URL's credentials written as `***`. */
export function hideCredentials(text: string): string {
  return text.replace(USERINFO, "$1***@");
}
