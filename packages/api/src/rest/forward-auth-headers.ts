/**
 * Which request a proxy's forward-auth sub-request asks about. nginx's configuration sets
 * X-Original-Method/-URI; Traefik and Caddy set X-Forwarded-Method/-Uri. Each passes the client's
 * other headers on as well, so whichever set a proxy does not set, a client can. Hence, whatever
 * FORWARD_AUTH_HEADERS says: a header sent twice is refused, and when both sets arrive they must
 * name the same request (a client's forged set either repeats the proxy's or is refused), so no
 * order of preference between the two sets exists for a client to exploit. Authorization sent
 * twice is refused too: Node reads the first, and an API behind may read the other.
 */

/** FORWARD_AUTH_HEADERS: the set that must be there; "auto" takes whichever one came. */
export const FORWARD_AUTH_HEADER_SETS = ["auto", "original", "forwarded"] as const;
export type ForwardAuthHeaders = (typeof FORWARD_AUTH_HEADER_SETS)[number];

export type OriginalRequest =
  | { ok: true; method: string; uri: string; set: "original" | "forwarded" }
  | { ok: false; reason: string; set: "original" | "forwarded" };

const METHOD = 0;
const URI = 1;
/** Lower-case names, by slot: original method, original URI, forwarded method, forwarded URI, and the token. */
const NAMES = ["x-original-method", "x-original-uri", "x-forwarded-method", "x-forwarded-uri", "authorization"] as const;
const SPELLED = ["X-Original-Method", "X-Original-URI", "X-Forwarded-Method", "X-Forwarded-Uri", "Authorization"] as const;

/** The slot of a header name, in any case, or -1; no name shares its length with another of the five. */
function slotOf(name: string): number {
  const slot = name.length < SLOT_BY_LENGTH.length ? (SLOT_BY_LENGTH[name.length] ?? -1) : -1;
  return slot >= 0 && sameIgnoringCase(name, NAMES[slot] ?? "") ? slot : -1;
}

const SLOT_BY_LENGTH = new Int8Array(19).fill(-1);
NAMES.forEach((name, slot) => (SLOT_BY_LENGTH[name.length] = slot));

/** `name` equals `lower` (lower-case letters, digits and `-`) in any case, without allocating. */
function sameIgnoringCase(name: string, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const char = name.charCodeAt(i);
    if ((char >= 0x41 && char <= 0x5a ? char | 0x20 : char) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Reads the original method and URI from a sub-request's raw headers (name, value, name, value…). */
export function readOriginalRequest(rawHeaders: readonly string[], mode: ForwardAuthHeaders): OriginalRequest {
  const values: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  let repeated = -1;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const slot = slotOf(rawHeaders[i] ?? "");
    if (slot < 0) continue;
    if (values[slot] !== undefined) repeated = slot;
    values[slot] = rawHeaders[i + 1] ?? "";
  }
  const hasOriginal = values[METHOD] !== undefined || values[URI] !== undefined;
  const hasForwarded = values[2 + METHOD] !== undefined || values[2 + URI] !== undefined;
  const set = mode === "auto" ? (hasOriginal ? "original" : "forwarded") : mode;
  const refuse = (reason: string): OriginalRequest => ({ ok: false, reason, set });
  if (repeated >= 0) return refuse(`${SPELLED[repeated]} was sent more than once`);
  if (hasOriginal && hasForwarded && (values[METHOD] !== values[2 + METHOD] || values[URI] !== values[2 + URI])) {
    return refuse("X-Original-Method/-URI and X-Forwarded-Method/-Uri name different requests");
  }
  const first = set === "original" ? 0 : 2;
  const method = values[first + METHOD];
  const uri = values[first + URI];
  const setting = mode === "auto" ? "" : `; FORWARD_AUTH_HEADERS=${mode}`;
  if (method === undefined) {
    const names = mode === "auto" && !hasOriginal && !hasForwarded ? "X-Original-Method or X-Forwarded-Method" : SPELLED[first + METHOD];
    return refuse(`no original method (${names}${setting})`);
  }
  if (uri === undefined) return refuse(`no original URI (${SPELLED[first + URI]}${setting})`);
  return { ok: true, method, uri, set };
}
