import { base64url, calculateJwkThumbprint, compactVerify, decodeProtectedHeader, EmbeddedJWK, type JWK } from "jose";
import { dpopTarget } from "@tokensmith/endpoints";

export { isJwkThumbprint } from "@tokensmith/endpoints";

/**
 * DPoP proofs (RFC 9449 §4.3), checked the same way by the server and by @tokensmith/verify: no
 * Node APIs (WebCrypto only), no store. Replay (the jti seen before) is the caller's to check with
 * `replayKey`, which names the proof by its key and jti.
 */

/** Asymmetric algorithms only (§4.2): a proof signed with a shared secret proves nothing. Advertised in `algs`. */
export const DPOP_ALGORITHMS = ["ES256", "ES384", "EdDSA", "Ed25519", "PS256", "RS256"] as const;
/** DPOP_PROOF_WINDOW's default: a proof's iat may be this many seconds off our clock, either way. */
export const DEFAULT_DPOP_WINDOW_SECONDS = 60;
/** No proof of ours is anywhere near this long (an RSA-4096 jwk is ~1 kB). */
export const MAX_DPOP_PROOF_LENGTH = 8192;
/** A jti longer than this is refused: the replay key is a hash, but the client has no need for more. */
const MAX_JTI_LENGTH = 256;
/** Members of a private (or symmetric) JWK: a proof's jwk header must carry none (§4.2). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

export type DpopError = "invalid_dpop_proof" | "invalid_token";
export type DpopProofResult =
  | { ok: true; jkt: string; replayKey: string; /** Epoch ms until which the proof must be remembered. */ rememberUntil: number }
  | { ok: false; error: DpopError; reason: string };

export interface DpopProofInput {
  proof: string;
  /** The request's method, exactly as sent. */
  method: string;
  /** The request's absolute URL as served (query and fragment are ignored). */
  url: string;
  /** The access token presented with it: `ath` must be its hash. Absent when binding a new token (no ath then). */
  accessToken?: string;
  /** The thumbprint the token is bound to: the proof's key must have it. */
  jkt?: string;
  /** Seconds since the epoch. */
  now: number;
  windowSeconds: number;
}

const refuse = (reason: string, error: DpopError = "invalid_dpop_proof"): DpopProofResult => ({ ok: false, error, reason });

async function sha256Base64url(text: string): Promise<string> {
  return base64url.encode(new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

/** What one request presents besides the token: its scheme and, for DPoP, the proof and the request it must name. */
export interface DpopPresentation {
  scheme: "bearer" | "dpop";
  /** The DPoP header; undefined: none sent; null: sent more than once (refused, §4.3 check 1). */
  proof: string | null | undefined;
  /** The request's method, exactly as sent. */
  method: string;
  /** The request's absolute URL as served, or undefined when its origin is unknown (then no proof can match). */
  url: string | undefined;
}

/**
 * The scheme rule and the proof, for one use of a token bound to `jkt` (null: not bound). A bound
 * token needs the DPoP scheme and a proof by its key for this method and URL, with its `ath`; the
 * DPoP scheme with an unbound token is refused too (the client meant a binding that is not there).
 * `{ ok: true, replayKey: null }`: an unbound token sent as Bearer, nothing to prove. Replay is the
 * caller's to check with the result's replayKey, last, so that only a proof that passed all this is remembered.
 */
export async function checkDpopUse(
  jkt: string | null,
  accessToken: string,
  presented: DpopPresentation | undefined,
  clock: { now: number; windowSeconds: number },
): Promise<DpopProofResult | { ok: true; replayKey: null }> {
  if (jkt === null) return presented?.scheme === "dpop" ? refuse("The token is not DPoP-bound: send it as Bearer", "invalid_token") : { ok: true, replayKey: null };
  if (presented === undefined || presented.scheme !== "dpop") return refuse("The token is DPoP-bound: send it as Authorization: DPoP with a DPoP proof", "invalid_token");
  if (presented.proof === undefined) return refuse("No DPoP proof was sent");
  if (presented.proof === null) return refuse("More than one DPoP header was sent");
  if (presented.url === undefined) return refuse("The request's URL is not known here, so no proof can name it");
  return checkDpopProof({ proof: presented.proof, method: presented.method, url: presented.url, accessToken, jkt, ...clock });
}

/** The WWW-Authenticate challenge of RFC 9449 §7.1 (reasons are ours, fixed text: no client input). */
export function dpopChallenge(error?: DpopError, reason?: string): string {
  const parts = [`DPoP algs="${DPOP_ALGORITHMS.join(" ")}"`];
  if (error) parts.push(`error="${error}"`);
  if (reason) parts.push(`error_description="${reason}"`);
  return parts.join(", ");
}

/** `raw`: a request's raw headers (name, value, …): the DPoP header's one value, undefined, or null when repeated. */
export function dpopHeader(rawHeaders: readonly string[]): string | null | undefined {
  let found: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length !== 4 || name.toLowerCase() !== "dpop") continue;
    if (found !== undefined) return null;
    found = (rawHeaders[i + 1] ?? "").trim();
  }
  return found;
}

/** Checks one proof: header, signature, htm, htu, iat window, ath and key binding, in that order. */
export async function checkDpopProof(input: DpopProofInput): Promise<DpopProofResult> {
  if (input.proof.length === 0 || input.proof.length > MAX_DPOP_PROOF_LENGTH) return refuse("the DPoP proof is empty or too long");
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(input.proof);
  } catch {
    return refuse("the DPoP proof is not a JWT");
  }
  if (header.typ !== "dpop+jwt") return refuse("the DPoP proof's typ is not dpop+jwt");
  if (typeof header.alg !== "string" || !(DPOP_ALGORITHMS as readonly string[]).includes(header.alg)) return refuse("the DPoP proof's alg is not an accepted asymmetric algorithm");
  const jwk = header.jwk as JWK | undefined;
  if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk)) return refuse("the DPoP proof has no jwk header");
  if (PRIVATE_MEMBERS.some((member) => member in jwk) || jwk.kty === "oct") return refuse("the DPoP proof's jwk is not a public key");
  let payload: Record<string, unknown>;
  try {
    // The signature only: every claim is judged below, iat by our own window.
    const verified = await compactVerify(input.proof, EmbeddedJWK, { algorithms: [...DPOP_ALGORITHMS] });
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) throw new Error("not a claims set");
  } catch {
    return refuse("the DPoP proof's signature does not verify");
  }
  const { jti, htm, htu, iat, ath } = payload;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_LENGTH) return refuse("the DPoP proof has no usable jti");
  if (htm !== input.method) return refuse("the DPoP proof is for another method");
  if (typeof htu !== "string") return refuse("the DPoP proof has no htu");
  const proofTarget = dpopTarget(htu);
  const requestTarget = dpopTarget(input.url);
  if (!proofTarget.ok || !requestTarget.ok || proofTarget.target !== requestTarget.target) return refuse("the DPoP proof is for another URL");
  if (typeof iat !== "number" || !Number.isFinite(iat) || Math.abs(iat - input.now) > input.windowSeconds) return refuse("the DPoP proof's iat is outside the accepted window");
  if (input.accessToken !== undefined && ath !== (await sha256Base64url(input.accessToken))) return refuse("the DPoP proof's ath is not the hash of this token");
  const jkt = await calculateJwkThumbprint(jwk, "sha256");
  if (input.jkt !== undefined && jkt !== input.jkt) return refuse("the DPoP proof is signed by another key than the token is bound to", "invalid_token");
  return { ok: true, jkt, replayKey: await sha256Base64url(`${jkt}.${jti}`), rememberUntil: (iat + input.windowSeconds + 1) * 1000 };
}
