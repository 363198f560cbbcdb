import { webcrypto, type KeyObject } from "node:crypto";
import { SignJWT, jwtVerify, errors, type JWTHeaderParameters } from "jose";
import { audienceClaim, isTokenType } from "@tokensmith/endpoints";
import type { KeyAlgorithm } from "./signing-keys.js";
import { accessTokenClaims, specterShaped, VERIFIABLE, type AccessTokenClaims } from "./jwt-claims.js";

export type { AccessTokenClaims } from "./jwt-claims.js";

/** A key imported once: jose uses it as is (a raw secret or PEM would be re-imported per call). */
export type KeyMaterial = webcrypto.CryptoKey | KeyObject;

/** What signs new tokens: the current key of the key ring. */
export interface TokenSigner {
  kid: string | null;
  alg: KeyAlgorithm;
  key: KeyMaterial;
}

/** A key that may verify: by kid (or, for tokens of older releases, HS256 without a kid). */
export interface VerificationKey {
  kid: string | null;
  alg: KeyAlgorithm;
  key: KeyMaterial;
  /** The HS256 secret of an imported Specter Desktop: it verifies Specter-shaped tokens and nothing else. */
  specter?: boolean;
}

/**
 * Finds the key for a token's header; may reload the key ring once for a kid it has not seen.
 * `specter`: the token has neither kid nor sub and jti, the shape of Specter Desktop's tokens.
 */
export type KeyLookup = (header: { alg: string; kid: string | undefined; specter: boolean }) =>
  | VerificationKey
  | undefined
  | Promise<VerificationKey | undefined>;

export interface SignInput {
  userId: string;
  username: string;
  tokenId: string;
  description: string;
  /** Seconds since the epoch; `exp - iat` is exactly the lifetime. */
  issuedAt: number;
  lifeSeconds: number;
  endpoints?: string[] | null;
  allowedIps?: string[] | null;
  maxUses?: number | null;
  issuer?: string;
  /** Signed as `aud`; null or empty: no audience. */
  audience?: readonly string[] | null;
  /** Signed as `cnf.jkt` (RFC 9449 §6.1): every use must come with a DPoP proof by that key. */
  dpopJkt?: string | null;
  profile?: JwtProfile;
}

/**
 * JWT_PROFILE: how new tokens are shaped. "rfc9068" adds what RFC 9068 §2.2 requires of a JWT
 * access token: header `typ: at+jwt` and a `client_id` claim (the token's id: a personal token is
 * its own client). Verification accepts both, whatever the setting, so tokens outlive a change.
 */
export const JWT_PROFILES = ["tokensmith", "rfc9068"] as const;
export type JwtProfile = (typeof JWT_PROFILES)[number];

export type VerifyResult =
  | { ok: true; claims: AccessTokenClaims; kid: string | null }
  /** Expired: the signature was good, so its jti is known (usage counts it). */
  | { ok: false; reason: "expired"; jti?: string }
  | { ok: false; reason: "invalid" };

export const MIN_SECRET_LENGTH = 32;

/** An HS256 secret imported once (tokens of older releases, and JWT_SECRET). */
export function signingKey(secret: string, minLength = MIN_SECRET_LENGTH): Promise<webcrypto.CryptoKey> {
  if (secret.length < minLength || secret.length === 0) {
    throw new Error(`JWT secret must be at least ${minLength} characters long`);
  }
  return webcrypto.subtle.importKey("raw", Buffer.from(secret, "utf8"), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

export function signAccessToken(input: SignInput, signer: TokenSigner): Promise<string> {
  const rfc9068 = input.profile === "rfc9068";
  const header: JWTHeaderParameters = { alg: signer.alg, typ: rfc9068 ? "at+jwt" : "JWT", ...(signer.kid ? { kid: signer.kid } : {}) };
  const jwt = new SignJWT({
    ...(rfc9068 ? { client_id: input.tokenId } : {}),
    username: input.username,
    jwt_token_id: input.tokenId,
    jwt_token_description: input.description,
    ...(input.endpoints ? { jwt_token_endpoints: input.endpoints } : {}),
    ...(input.allowedIps ? { jwt_token_allowed_ips: input.allowedIps } : {}),
    ...(input.maxUses ? { jwt_token_max_uses: input.maxUses } : {}),
    ...(input.dpopJkt ? { cnf: { jkt: input.dpopJkt } } : {}),
  })
    .setProtectedHeader(header)
    .setSubject(input.userId)
    .setJti(input.tokenId)
    .setIssuedAt(input.issuedAt)
    .setExpirationTime(input.issuedAt + input.lifeSeconds);
  if (input.issuer) jwt.setIssuer(input.issuer);
  if (input.audience && input.audience.length > 0) jwt.setAudience(audienceClaim(input.audience));
  return jwt.sign(signer.key);
}

/**
 * Checks signature, typ (either profile's) and expiry. The audience is not checked here: the
 * caller judges it (forward auth, introspection report it; Tokensmith's own API ignores it). The key comes from `lookup` by the header's kid, and must be
 * of the header's algorithm: a token cannot choose HS256 to have a public key used as a secret.
 * A Specter-shaped token (no kid, sub or jti) is verified only by an imported Specter secret, and
 * that secret verifies nothing else.
 * Whether the token id still exists and is in force is the caller's job (it needs the database).
 */
export async function verifyAccessToken(token: string, lookup: KeyLookup, now?: Date): Promise<VerifyResult> {
  let kid: string | null = null;
  let specter = false;
  try {
    const { payload } = await jwtVerify(
      token,
      async (header, jws) => {
        if (!isTokenType(header.typ)) throw new errors.JWTInvalid("unexpected typ");
        specter = header.kid === undefined && typeof jws.payload === "string" && specterShaped(jws.payload);
        const found = await lookup({ alg: header.alg, kid: header.kid, specter });
        if (!found || found.alg !== header.alg || (found.specter ?? false) !== specter) throw new errors.JWKSNoMatchingKey();
        kid = found.kid;
        return found.key;
      },
      { algorithms: VERIFIABLE, requiredClaims: ["iat", "exp"], currentDate: now },
    );
    const claims = accessTokenClaims(payload, specter);
    return claims ? { ok: true, claims, kid } : { ok: false, reason: "invalid" };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      const expired = error.payload as { jti?: unknown; jwt_token_id?: unknown };
      const jti = specter ? expired.jwt_token_id : expired.jti;
      return typeof jti === "string" ? { ok: false, reason: "expired", jti } : { ok: false, reason: "expired" };
    }
    return { ok: false, reason: "invalid" };
  }
}
