/**
 * Allowed endpoints: "METHOD /path" patterns where `*` matches any run of characters (slashes
 * included) and a method of `*` matches every method. `null` means every endpoint.
 */
export const ENDPOINT_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*"] as const;
const MAX_PATTERN_LENGTH = 200;
export const MAX_PATTERNS = 50;

export type PatternResult = { ok: true; pattern: string } | { ok: false; message: string };

/** Normalises `"get   /v1alpha/token/*"` to `"GET /v1alpha/token/*"`, or says what is wrong. */
export function parseEndpointPattern(input: unknown): PatternResult {
  if (typeof input !== "string") return { ok: false, message: 'must be a string such as "GET /v1alpha/token/*"' };
  const text = input.trim().replace(/\s+/g, " ");
  const space = text.indexOf(" ");
  const method = (space === -1 ? text : text.slice(0, space)).toUpperCase();
  const path = space === -1 ? "" : text.slice(space + 1);
  if (!(ENDPOINT_METHODS as readonly string[]).includes(method) || !path.startsWith("/") || path.includes(" ")) {
    return {
      ok: false,
      message: `"${input}" is not "METHOD /path": use one of ${ENDPOINT_METHODS.join(", ")} and a path starting with /, e.g. "GET /v1alpha/token/*"`,
    };
  }
  if (text.length > MAX_PATTERN_LENGTH) return { ok: false, message: `"${input.slice(0, 40)}…" is longer than ${MAX_PATTERN_LENGTH} characters` };
  return { ok: true, pattern: `${method} ${path}` };
}

const compiled = new Map<string, RegExp>();

function globRegExp(pattern: string): RegExp {
  let regexp = compiled.get(pattern);
  if (!regexp) {
    const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    regexp = new RegExp(`^${source}$`, "s");
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(pattern, regexp);
  }
  return regexp;
}

export function endpointMatches(pattern: string, method: string, path: string): boolean {
  return globRegExp(pattern).test(`${method.toUpperCase()} ${path}`);
}

/** Whether a request may go ahead under a token's allowed endpoints. */
export function endpointAllowed(patterns: readonly string[] | null, method: string, path: string): boolean {
  return patterns === null || patterns.some((pattern) => endpointMatches(pattern, method, path));
}

/**
 * `parent` allows every request `child` allows. Sound test: the parent's glob matches the child's
 * text with the child's `*` taken literally — each child wildcard then lies inside a parent one.
 */
export function patternCovers(parent: string, child: string): boolean {
  return globRegExp(parent).test(child);
}

/** No escalation: a token may only hand out endpoints it has itself. */
export function endpointsCovered(parent: readonly string[] | null, child: readonly string[] | null): boolean {
  if (parent === null) return true;
  if (child === null) return false;
  return child.every((c) => parent.some((p) => patternCovers(p, c)));
}
