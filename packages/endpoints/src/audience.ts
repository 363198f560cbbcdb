/**
 * Audiences: whom a token is meant for, signed as its `aud` claim (RFC 7519 §4.1.3). Every entry
 * point — REST, tRPC, the dashboard, DEFAULT_AUDIENCE, forward auth's `audience` parameter and
 * @tokensmith/verify — reads an audience through `parseAudience` and compares through the two
 * functions below, so no two of them can disagree about what an audience is.
 *
 * An audience is an absolute URI (RFC 3986 §4.3: a scheme, no fragment), such as
 * `https://api.example.com` or `urn:example:billing`. It is kept exactly as given: verifiers
 * compare `aud` as a string (RFC 7519 §4.1.3), so `https://api.example.com` and
 * `https://api.example.com/` are different audiences, and normalising one into the other would
 * make tokens that their verifiers refuse.
 */

export const MAX_AUDIENCES = 10;
export const MAX_AUDIENCE_LENGTH = 256;

export type AudienceResult = { ok: true; audience: string[] } | { ok: false; message: string };

/** A scheme, then only characters RFC 3986 allows (no `#`: an audience has no fragment), with %XX escapes whole. */
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
/** RFC 8141: `urn:`, a namespace id of 1-32 letters, digits and inner hyphens, `:` and a non-empty rest. */
const URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]?:.+$/i;
/** Web schemes need an authority: `https:api` names no server. */
const WEB_URI = /^(?:https?|wss?):\/\/[^/?]+/i;
const EXAMPLE = '"https://api.example.com" or "urn:example:api"';

function audienceProblem(value: unknown): string | null {
  if (typeof value !== "string") return `must be a string such as ${EXAMPLE}`;
  if (value.length > MAX_AUDIENCE_LENGTH) return `must be at most ${MAX_AUDIENCE_LENGTH} characters`;
  if (!ABSOLUTE_URI.test(value)) {
    return value.includes("#")
      ? "must not have a fragment (#…)"
      : `must be an absolute URI or a urn: with no spaces, such as ${EXAMPLE}`;
  }
  const scheme = value.slice(0, value.indexOf(":")).toLowerCase();
  if (scheme === "urn" && !URN.test(value)) return "must be a URN of the form urn:<namespace>:<name>";
  if (["http", "https", "ws", "wss"].includes(scheme) && !WEB_URI.test(value)) return `must name a host, such as ${EXAMPLE}`;
  return null;
}

/**
 * A string or an array of strings (1 to MAX_AUDIENCES, duplicates dropped, order kept), each an
 * absolute URI or a urn:. The message says what is wrong with the first bad value.
 */
export function parseAudience(input: unknown): AudienceResult {
  const list = typeof input === "string" ? [input] : input;
  if (!Array.isArray(list)) return { ok: false, message: `must be a string or an array of strings such as ${EXAMPLE}` };
  if (list.length === 0) return { ok: false, message: "must name at least one audience (omit it, or send null, for the default)" };
  if (list.length > MAX_AUDIENCES) return { ok: false, message: `must name at most ${MAX_AUDIENCES} audiences` };
  for (const [index, value] of list.entries()) {
    const problem = audienceProblem(value);
    if (problem !== null) return { ok: false, message: list.length > 1 ? `item ${index + 1} ${problem}` : problem };
  }
  return { ok: true, audience: [...new Set(list as string[])] };
}

/** A child's audience lies within its parent's: a parent with none allows any; one with some allows only those. */
export function audienceWithin(wanted: readonly string[] | null, own: readonly string[] | null): boolean {
  if (own === null) return true;
  return wanted !== null && wanted.every((audience) => own.includes(audience));
}

/** A token is meant for a verifier that requires `required` when it names at least one of them. */
export function audienceAccepts(tokenAudience: readonly string[] | null, required: readonly string[]): boolean {
  return tokenAudience !== null && required.some((audience) => tokenAudience.includes(audience));
}

/** The `aud` claim: a single audience as a string (what most verifiers expect), several as an array. */
export function audienceClaim(audience: readonly string[]): string | string[] {
  return audience.length === 1 ? audience[0]! : [...audience];
}

/** The `aud` of a decoded payload as a list; null when absent or not a string or array of strings. */
export function audienceOfClaim(aud: unknown): string[] | null {
  if (typeof aud === "string") return [aud];
  if (Array.isArray(aud) && aud.every((value) => typeof value === "string")) return aud as string[];
  return null;
}
