import { normalizeRequestPath } from "./request-path.js";

/**
 * The one form a DPoP proof's `htu` and the request it is checked against are compared in
 * (RFC 9449 §4.3: the URI without query and fragment). Scheme and host are lower-cased and a
 * default port dropped (RFC 3986 §6.2.2–3 equivalences, which every server agrees on); the path
 * goes through the same rule as every other path here (normalizeRequestPath: escapes decoded once;
 * dot segments, `//`, `;`, %2F refused), never resolved: `/a/../b` and `/a/` are not `/b` and
 * `/a`. User info, a bad port, or anything but http(s) is refused.
 */
export type DpopTarget = { ok: true; target: string } | { ok: false; reason: string };

const MAX_URL_LENGTH = 8192;
const URL_SHAPE = /^(https?):\/\/([^/?#]*)([^?#]*)/i;
const AUTHORITY = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i;
const DEFAULT_PORT: Record<string, string> = { http: "80", https: "443" };

/** A jkt (RFC 7638 SHA-256 thumbprint, base64url, no padding): the one shape stored and signed as `cnf.jkt`. */
export const isJwkThumbprint = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);

export function dpopTarget(url: string): DpopTarget {
  if (url.length > MAX_URL_LENGTH) return { ok: false, reason: "is too long" };
  const shape = URL_SHAPE.exec(url);
  if (!shape) return { ok: false, reason: "is not an absolute http(s) URL" };
  const scheme = shape[1]!.toLowerCase();
  const authority = AUTHORITY.exec(shape[2]!);
  if (!authority) return { ok: false, reason: "has no valid host (or has user info)" };
  const host = authority[1]!.toLowerCase();
  const portText = authority[2];
  if (portText !== undefined && (Number(portText) > 65535 || Number(portText) === 0)) return { ok: false, reason: "has an invalid port" };
  const port = portText === undefined ? undefined : String(Number(portText));
  const shownPort = port === undefined || port === DEFAULT_PORT[scheme] ? "" : `:${port}`;
  const path = normalizeRequestPath(shape[3] === "" ? "/" : shape[3]!);
  if (!path.ok) return { ok: false, reason: `path ${path.reason}` };
  return { ok: true, target: `${scheme}://${host}${shownPort}${path.path}` };
}
