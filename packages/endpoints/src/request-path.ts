/**
 * normalizeRequestPath turns the raw request target a reverse proxy forwards (nginx's
 * $request_uri, not the already-decoded $uri), or a framework's raw URL, into the one path an
 * endpoint pattern is matched against. The rule is that a path is matched in the form the server
 * behind will serve: nginx passes the raw target on, Express and Fastify route on it without
 * resolving `..`, Tomcat, Jetty and Spring cut `;parameters` off and resolve `..` after that.
 * So nothing that one server would read differently from another is resolved here; it is refused.
 * Policy, in order:
 *
 * 1. The query (`?…`) is dropped.
 * 2. Refused: a path not starting with `/`, or longer than 8192 characters (MAX_PATH_LENGTH).
 * 3. Refused, raw or percent-encoded: control characters (C0, DEL, and C1 once decoded), `\`
 *    (some servers treat it as `/`) and `;` (path parameters, which Tomcat, Jetty and Spring
 *    remove: `/a/..;/b` is `/b` there, `/x.txt;.pdf` is `/x.txt`). Refused raw: `#` (a client
 *    never sends a fragment; a server may keep it in the path) and any character outside ASCII
 *    (a request line is ASCII: Node refuses one that is not, nginx passes its bytes on, and what
 *    a server behind makes of them cannot be known). Refused: an encoded slash `%2F` (a server
 *    may decode it into a separator after we matched), malformed `%` escapes, and escapes that
 *    are not UTF-8.
 * 4. Every other escape is decoded exactly once: `%41` is `A`, `%3F` is a literal `?` (the query
 *    was cut off before decoding). A decoded path that still holds an escape (`%252e` → `%2e`) is
 *    refused: a second decoding anywhere behind us would read another path.
 * 5. Refused: a `.` or `..` segment, however spelled (`%2e`, `%2E%2e`), and an empty segment
 *    (`//`) anywhere but at the end. Servers disagree on resolving and merging them. A trailing
 *    slash is kept (`/a/` and `/a` stay different paths).
 * 6. A path with characters outside ASCII is also read in Unicode compatibility form (NFKC, what
 *    "best-fit" conversions do), with `¥` and `₩` read as `\` (Windows' best fit for them on the
 *    Japanese and Korean code pages, where 0x5C is the path separator): refused when that form
 *    has a separator, `\`, `;` or `%` the path had not, or a dot segment (`／`, `．．`, `‥`,
 *    `％２ｅ`, `¥..¥`).
 *
 * One pass over the input plus a split (and an NFKC pass for escaped non-ASCII): linear time.
 */
import { MAX_PATH_LENGTH } from "./glob.js";

export type NormalizedPath = { ok: true; path: string } | { ok: false; reason: string };

/** Fatal: a malformed sequence is refused, not replaced by U+FFFD. ignoreBOM: keep a decoded U+FEFF. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function normalizeRequestPath(raw: string): NormalizedPath {
  const path = withoutQuery(raw);
  if (!path.startsWith("/")) return refuse("does not start with /");
  if (path.length > MAX_PATH_LENGTH) return refuse(`is longer than ${MAX_PATH_LENGTH} characters`);
  const decoded = percentDecodeOnce(path);
  if (!decoded.ok) return decoded;
  const ambiguity = ambiguousStructure(decoded.path) ?? ambiguousWhenFolded(decoded.path);
  return ambiguity ? refuse(ambiguity) : decoded;
}

function withoutQuery(raw: string): string {
  const query = raw.indexOf("?");
  return query === -1 ? raw : raw.slice(0, query);
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
      if (/[\u0080-\u009f]/.test(text)) return refuse("has an encoded control character");
      pieces.push(text);
      plainFrom = i;
      continue;
    }
    const why = forbiddenCharacter(char);
    if (why) return refuse(`has a ${why}`);
    if (char === 0x23) return refuse("has a # (a fragment, which no client sends to a server)");
    if (char >= 0x80) return refuse("has a character outside ASCII that is not percent-encoded");
    i++;
  }
  pieces.push(path.slice(plainFrom));
  return { ok: true, path: pieces.join("") };
}

function decodeUtf8(bytes: number[]): string | undefined {
  // Plain ASCII (the usual `%20`) needs no decoder; at most 2731 bytes fit an 8 KiB path.
  if (bytes.every((byte) => byte < 0x80)) return String.fromCharCode(...bytes);
  try {
    return utf8.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

function forbiddenCharacter(char: number): string | undefined {
  if (char === 0x5c) return "backslash";
  if (char === 0x3b) return "semicolon (path parameters, which Tomcat, Jetty and Spring remove)";
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

/**
 * Why servers would not agree on what the decoded `path` (starting with `/`) names, or undefined.
 * After decoding, every `/` in it is a real separator (%2F was refused).
 */
function ambiguousStructure(path: string): string | undefined {
  const segments = path.split("/");
  // segments[0] is the empty text before the leading slash; the last one may be empty (`/a/`).
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === "." || segment === "..") return "has a dot segment (. or .., encoded or not), which servers resolve differently";
    if (segment === "" && i < segments.length - 1) return "has an empty segment (//), which servers merge differently";
  }
  for (let i = path.indexOf("%"); i !== -1; i = path.indexOf("%", i + 1)) {
    if (hexByte(path, i + 1) >= 0) return "is percent-encoded twice (%25 followed by hex digits)";
  }
  return undefined;
}

/** Characters a compatibility form may add that change how a path is cut up. */
const STRUCTURAL = /[/\\;%]/g;

/** Yen and won signs: best-fit mapped to 0x5C, the backslash, on code pages 932 and 949. */
const BEST_FIT_BACKSLASH = /[\u00a5\u20a9]/g;

function ambiguousWhenFolded(path: string): string | undefined {
  if (!/[^\x00-\x7f]/.test(path)) return undefined;
  const folded = path.normalize("NFKC").replace(BEST_FIT_BACKSLASH, "\\");
  const added = (folded.match(STRUCTURAL)?.length ?? 0) > (path.match(STRUCTURAL)?.length ?? 0);
  if (added || ambiguousStructure(folded) !== undefined) {
    return "has a character whose Unicode compatibility form (NFKC) or best fit is a /, \\, ;, % or dot segment";
  }
  return undefined;
}

function refuse(why: string): NormalizedPath {
  return { ok: false, reason: `the request path ${why}` };
}
