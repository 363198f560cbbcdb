/** The token of `Bearer <token>` (scheme in any case), or a bare token; undefined for anything else. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  if (typeof authorization !== "string") return undefined;
  const text = authorization.trim();
  const space = text.indexOf(" ");
  // "Bearer" alone is a scheme without its token, not a token.
  if (space === -1) return text === "" || isBearer(text) ? undefined : text;
  if (space !== 6 || !isBearer(text)) return undefined;
  const token = text.slice(space + 1).trim();
  return token === "" ? undefined : token;
}

/** Whether `text` starts with "bearer" in any ASCII case (compared in place: no lower-cased copy per request). */
function isBearer(text: string): boolean {
  if (text.length < 6 || (text.length > 6 && text.charCodeAt(6) !== 0x20)) return false;
  for (let i = 0; i < 6; i++) if ((text.charCodeAt(i) | 0x20) !== BEARER.charCodeAt(i)) return false;
  return true;
}
const BEARER = "bearer";
