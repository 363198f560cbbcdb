/**
 * Allowed endpoints: "METHOD /path" patterns where `*` in the path matches any run of characters
 * (slashes included) and a method of `*` matches every method. `null` means every endpoint.
 *
 * Method and path are matched separately: the method exactly, case included (a pattern's method is
 * stored upper-case), the path as a glob (see glob.ts: linear time, no RegExp built from a pattern).
 */
import { globMatches, type MatchStats } from "./glob.js";

export const ENDPOINT_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*"] as const;
export const MAX_PATTERN_LENGTH = 200;
export const MAX_PATTERNS = 50;
/** Raw input beyond this is refused before trimming, so no work is spent on a huge string. */
const MAX_RAW_INPUT_LENGTH = 2 * MAX_PATTERN_LENGTH;

export type PatternResult = { ok: true; pattern: string } | { ok: false; message: string };

const EXAMPLE = '"GET /v1alpha/token/*"';
/** Whitespace (as String.prototype.trim sees it) or a control character (C0, DEL and C1: U+0000–U+001F, U+007F–U+009F). */
const SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/;

/** Normalises `"get   /v1alpha/token/*"` to `"GET /v1alpha/token/*"`, or says what is wrong. */
export function parseEndpointPattern(input: unknown): PatternResult {
  if (typeof input !== "string") return { ok: false, message: `must be a string such as ${EXAMPLE}` };
  if (input.length > MAX_RAW_INPUT_LENGTH) return tooLong(input);
  const text = input.trim();
  const gap = text.search(/\s/);
  const method = asciiUpperCase(gap === -1 ? text : text.slice(0, gap));
  const path = gap === -1 ? "" : text.slice(gap).trimStart();
  if (!isEndpointMethod(method) || !path.startsWith("/")) {
    return notMethodPath(input, `use one of ${ENDPOINT_METHODS.join(", ")} and a path starting with /, e.g. ${EXAMPLE}`);
  }
  if (SPACE_OR_CONTROL.test(path)) return notMethodPath(input, "the path must not contain spaces or control characters");
  // `**` means what `*` means; one spelling keeps stored patterns comparable.
  const pattern = `${method} ${path.replace(/\*+/g, "*")}`;
  if (pattern.length > MAX_PATTERN_LENGTH) return tooLong(input);
  return { ok: true, pattern };
}

/**
 * Whether a request matches one pattern. Paths longer than MAX_PATH_LENGTH (8192) never match.
 * `stats`, when given, receives the matcher's step count (for tests of linearity).
 */
export function endpointMatches(pattern: string, method: string, path: string, stats?: MatchStats): boolean {
  // Split in place (no object per call): this runs on every request a token with endpoints makes.
  const space = pattern.indexOf(" ");
  return space !== -1 && methodMatches(pattern.slice(0, space), method) && globMatches(pattern.slice(space + 1), path, stats);
}

/** Whether a request may go ahead under a token's allowed endpoints. */
export function endpointAllowed(patterns: readonly string[] | null, method: string, path: string): boolean {
  return patterns === null || patterns.some((pattern) => endpointMatches(pattern, method, path));
}

/**
 * `parent` allows every request `child` allows. Sound test: the parent's glob matches the child's
 * path with the child's `*` taken literally — each child wildcard then lies inside a parent one.
 * A parent method of `*` covers any method; otherwise the methods must be equal (so a child
 * method of `*` is covered only by `*`).
 */
export function patternCovers(parent: string, child: string, stats?: MatchStats): boolean {
  const p = splitPattern(parent);
  const c = splitPattern(child);
  if (p === null || c === null) return false;
  if (p.method !== "*" && (c.method === "*" || c.method !== p.method)) return false;
  return globMatches(p.path, c.path, stats);
}

/** No escalation: a token may only hand out endpoints it has itself. */
export function endpointsCovered(parent: readonly string[] | null, child: readonly string[] | null): boolean {
  if (parent === null) return true;
  if (child === null) return false;
  return child.every((c) => parent.some((p) => patternCovers(p, c)));
}

/** A stored pattern is already normalised ("METHOD /path"); anything else matches nothing. */
function splitPattern(pattern: string): { method: string; path: string } | null {
  const space = pattern.indexOf(" ");
  return space === -1 ? null : { method: pattern.slice(0, space), path: pattern.slice(space + 1) };
}

/**
 * Methods are case-sensitive (RFC 9110, 9.1), and a request is judged as the server behind will
 * serve it: Caddy and Traefik (Go) pass a client's `get` on as it is, and a Go handler that serves
 * `GET` reads and anything else writes would write. So `get` is not `GET`.
 */
function methodMatches(patternMethod: string, requestMethod: string): boolean {
  return patternMethod === "*" || requestMethod === patternMethod;
}

function isEndpointMethod(method: string): boolean {
  return (ENDPOINT_METHODS as readonly string[]).includes(method);
}

/** Only a–z: `toUpperCase` would turn "poſt" (long s) into "POST". */
function asciiUpperCase(text: string): string {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

function notMethodPath(input: string, why: string): PatternResult {
  return { ok: false, message: `${quote(input)} is not "METHOD /path": ${why}` };
}

function tooLong(input: string): PatternResult {
  return { ok: false, message: `${quote(`${input.slice(0, 40)}…`)} is longer than ${MAX_PATTERN_LENGTH} characters` };
}

/** JSON quoting shows control characters as escapes instead of printing them into a message. */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
