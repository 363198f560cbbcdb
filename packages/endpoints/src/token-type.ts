/**
 * The header `typ` of Tokensmith's two token profiles (JWT_PROFILE): "JWT", and RFC 9068's
 * "at+jwt" (also spelled with its media type prefix, RFC 9068 §2.1). Every verifier — Tokensmith's
 * own and @tokensmith/verify — accepts both, whatever the issuer's setting is now, so that tokens
 * outlive a change of profile.
 */
const TOKEN_TYPES: ReadonlySet<string> = new Set(["jwt", "at+jwt", "application/at+jwt"]);

export function isTokenType(typ: unknown): boolean {
  return typeof typ === "string" && TOKEN_TYPES.has(typ.toLowerCase());
}
