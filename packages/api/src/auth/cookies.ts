export const SESSION_COOKIE = "tokensmith_session";
/** Marks a browser that signed in as a user lately: a guess storm against that user spares it. */
export const DEVICE_COOKIE = "tokensmith_device";

/** A cookie's value; a malformed one (bad percent-encoding) is ignored, as if it were not sent. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** HttpOnly + SameSite=Lax always; Secure whenever the request came over HTTPS. */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  const parts = [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie("", 0, secure);
}

/**
 * The device cookie: sent only to tRPC (where signing in is; "/api/trpc" is its base path) and
 * only by our own pages (SameSite=Strict), never readable by scripts. Its secret is stored hashed.
 */
export function deviceCookie(secret: string, maxAgeSeconds: number, secure: boolean): string {
  const parts = [`${DEVICE_COOKIE}=${secret}`, "Path=/api/trpc", "HttpOnly", "SameSite=Strict", `Max-Age=${maxAgeSeconds}`];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}
