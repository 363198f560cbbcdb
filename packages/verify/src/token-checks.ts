import { errors } from "jose";

/** A token and the scheme it came with: `Bearer <token>` or a bare token is "bearer", `DPoP <token>` "dpop" (RFC 9449 §7.1). */
export interface Credentials {
  token: string;
  scheme: "bearer" | "dpop";
}

/** The token of `Bearer <token>` or `DPoP <token>` (scheme in any case), or a bare token; undefined for anything else. */
export function readCredentials(authorization: string | null | undefined): Credentials | undefined {
  if (typeof authorization !== "string") return undefined;
  const text = authorization.trim();
  const space = text.indexOf(" ");
  // "Bearer" (or "DPoP") alone is a scheme without its token, not a token.
  if (space === -1) return text === "" || isScheme(text) !== undefined ? undefined : { token: text, scheme: "bearer" };
  const scheme = isScheme(text.slice(0, space));
  if (scheme === undefined) return undefined;
  const token = text.slice(space + 1).trim();
  return token === "" ? undefined : { token, scheme };
}

function isScheme(word: string): Credentials["scheme"] | undefined {
  const lower = word.toLowerCase();
  return lower === "bearer" ? "bearer" : lower === "dpop" ? "dpop" : undefined;
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
