/**
 * normalizeRequestPath turns the raw request target a reverse proxy forwards (nginx's
 * $request_uri, not the already-decoded $uri) into the one path an endpoint pattern is matched
 * against, so that no spelling of a path can escape a pattern. Policy, in order:
 *
 * 1. The query (`?…`) and fragment (`#…`) are dropped.
 * 2. Refused: a path not starting with `/`, or longer than 8192 characters (MAX_PATH_LENGTH).
 * 3. Refused, raw or percent-encoded: control characters (U+0000–U+001F, U+007F) and `\`
 *    (some servers treat it as `/`). Refused: an encoded slash `%2F` (a server may decode it
 *    into a separator after we matched), malformed `%` escapes, escapes that are not UTF-8, and
 *    unpaired UTF-16 surrogates.
 * 4. Every other escape is decoded exactly once: `%2e` is `.`, `%41` is `A`, `%3F` is a literal
 *    `?` (the query was cut off before decoding), and `%252e` is the three characters `%2e` —
 *    never decoded again, so it is a plain segment, not a dot segment.
 * 5. Repeated slashes collapse to one (nginx's default `merge_slashes on`), then `.` and `..`
 *    segments are resolved as in RFC 3986 remove_dot_segments; `..` above the root is refused.
 *    A trailing slash is kept (`/a/` and `/a` stay different paths).
 *
 * One pass over the input plus a split and a join: linear time.
 */
import { MAX_PATH_LENGTH } from "./glob.js";

export type NormalizedPath = { ok: true; path: string } | { ok: false; reason: string };

/** Fatal: a malformed sequence is refused, not replaced by U+FFFD. ignoreBOM: keep a decoded U+FEFF. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function normalizeRequestPath(raw: string): NormalizedPath {
  const path = withoutQueryOrFragment(raw);
  if (!path.startsWith("/")) return refuse("does not start with /");
  if (path.length > MAX_PATH_LENGTH) return refuse(`is longer than ${MAX_PATH_LENGTH} characters`);
  const decoded = percentDecodeOnce(path);
  if (!decoded.ok) return decoded;
  return removeDotSegments(decoded.path);
}

function withoutQueryOrFragment(raw: string): string {
  for (let i = 0; i < raw.length; i++) {
    const char = raw.charCodeAt(i);
    if (char === 0x3f /* ? */ || char === 0x23 /* # */) return raw.slice(0, i);
  }
  return raw;
}

function percentDecodeOnce(path: string): NormalizedPath {
  const pieces: string[] = [];
  let plainFrom = 0;
  let i = 0;
  while (i < path.length) {
    const char = path.charCodeAt(i);
    if (char === 0x25 /* % */) {
      pieces.push(path.slice(plainFrom, i));
      // A run of escapes is decoded together: one UTF-8 character may span several of them.
      const bytes: number[] = [];
      while (path.charCodeAt(i) === 0x25) {
        const byte = hexByte(path, i + 1);
        if (byte < 0) return refuse("has invalid percent-encoding");
        if (byte === 0x2f) return refuse("has an encoded slash (%2F)");
        const why = forbiddenCharacter(byte);
        if (why) return refuse(`has an encoded ${why}`);
        bytes.push(byte);
        i += 3;
      }
      const text = decodeUtf8(bytes);
      if (text === undefined) return refuse("has percent-encoding that is not UTF-8");
      pieces.push(text);
      plainFrom = i;
      continue;
    }
    const why = forbiddenCharacter(char);
    if (why) return refuse(`has a ${why}`);
    if (isLoneSurrogate(path, i)) return refuse("is not valid Unicode");
    i++;
  }
  pieces.push(path.slice(plainFrom));
  return { ok: true, path: pieces.join("") };
}

function decodeUtf8(bytes: number[]): string | undefined {
  // Plain ASCII (the usual `%20`, `%2e`) needs no decoder; at most 2731 bytes fit an 8 KiB path.
  if (bytes.every((byte) => byte < 0x80)) return String.fromCharCode(...bytes);
  try {
    return utf8.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

function forbiddenCharacter(char: number): string | undefined {
  if (char === 0x5c) return "backslash";
  if (char < 0x20 || char === 0x7f) return "control character";
  return undefined;
}

/** The byte two hex digits at `at` spell, or -1. */
function hexByte(text: string, at: number): number {
  const high = hexDigit(text.charCodeAt(at));
  const low = hexDigit(text.charCodeAt(at + 1));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

function hexDigit(char: number): number {
  if (char >= 0x30 && char <= 0x39) return char - 0x30;
  if (char >= 0x41 && char <= 0x46) return char - 0x41 + 10;
  if (char >= 0x61 && char <= 0x66) return char - 0x61 + 10;
  return -1; // also NaN, past the end
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
function isLoneSurrogate(text: string, at: number): boolean {
  const char = text.charCodeAt(at);
  if (char >= 0xd800 && char <= 0xdbff) {
    const next = text.charCodeAt(at + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  if (char >= 0xdc00 && char <= 0xdfff) {
    const previous = text.charCodeAt(at - 1);
    return !(previous >= 0xd800 && previous <= 0xdbff);
  }
  return false;
}

/** `path` starts with `/`; after decoding every `/` in it is a real separator (%2F was refused). */
function removeDotSegments(path: string): NormalizedPath {
  const segments = path.slice(1).split("/");
  const kept: string[] = [];
  let trailingSlash = false;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? "";
    const isLast = i === segments.length - 1;
    if (segment === "..") {
      if (kept.length === 0) return refuse("goes above the root with ..");
      kept.pop();
    } else if (segment !== "" && segment !== ".") {
      kept.push(segment);
    }
    // "/a/", "/a/." and "/a/b/.." all end in a directory: keep that trailing slash.
    trailingSlash = isLast && (segment === "" || segment === "." || segment === "..");
  }
  const joined = `/${kept.join("/")}`;
  return { ok: true, path: trailingSlash && kept.length > 0 ? `${joined}/` : joined };
}

function refuse(why: string): NormalizedPath {
  return { ok: false, reason: `the request path ${why}` };
}
