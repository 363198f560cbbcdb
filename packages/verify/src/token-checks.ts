import { errors } from "jose";

/** The token of `Bearer <token>` (scheme in any case), or a bare token; undefined for anything else. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  if (typeof authorization !== "string") return undefined;
  const text = authorization.trim();
  const space = text.indexOf(" ");
  // "Bearer" alone is a scheme without its token, not a token.
  if (space === -1) return text === "" || text.toLowerCase() === "bearer" ? undefined : text;
  if (text.slice(0, space).toLowerCase() !== "bearer") return undefined;
  const token = text.slice(space + 1).trim();
  return token === "" ? undefined : token;
}

/** jose errors that say the token is bad, as opposed to the keys being out of reach. */
export function isTokenFault(error: unknown): boolean {
  return (
    error instanceof errors.JWTExpired ||
    error instanceof errors.JWTClaimValidationFailed ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  );
}
