import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";

/** Algorithms new tokens may be signed with; HS256 only ever verifies tokens of older releases. */
export const TOKEN_ALGORITHMS = ["ES256", "EdDSA"] as const;
export type TokenAlgorithm = (typeof TOKEN_ALGORITHMS)[number];
export type KeyAlgorithm = TokenAlgorithm | "HS256";

export interface GeneratedSigningKey {
  /** The RFC 7638 thumbprint of the public key: derived, so no one can pick a colliding id. */
  kid: string;
  alg: TokenAlgorithm;
  publicJwk: JWK;
  /** PKCS#8 DER: what gets sealed and stored. */
  privateKey: Buffer;
}

export async function generateSigningKey(alg: TokenAlgorithm): Promise<GeneratedSigningKey> {
  const { privateKey, publicKey } =
    alg === "ES256" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("ed25519");
  const { kty, crv, x, y } = publicKey.export({ format: "jwk" }) as JsonWebKey;
  const core: JWK = y === undefined ? { kty, crv, x } : { kty, crv, x, y };
  const kid = await calculateJwkThumbprint(core, "sha256");
  return {
    kid,
    alg,
    publicJwk: { ...core, kid, alg, use: "sig" },
    privateKey: privateKey.export({ format: "der", type: "pkcs8" }),
  };
}

export const importPrivateKey = (pkcs8: Buffer): KeyObject => createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
export const importPublicJwk = (jwk: JWK): KeyObject => createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
