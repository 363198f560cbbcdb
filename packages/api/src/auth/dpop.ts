import { checkDpopProof, DPOP_ALGORITHMS, type AccessTokenClaims, type DpopError } from "@tokensmith/core";
import type { DpopProofStore, TokenAuthRecord } from "@tokensmith/db";
import type { Config } from "../config.js";

/**
 * DPoP-bound tokens (RFC 9449): the one place a bound token's use is judged. Every entry point
 * (REST, tRPC, forward auth) reaches it through checkBearer; introspection reports `cnf` and leaves
 * the proof to the resource server that received it (§6.2).
 */

/** What one request presents besides the token: its scheme and, for DPoP, the proof and the request it must name. */
export interface Presentation {
  scheme: "bearer" | "dpop";
  /** The DPoP header; undefined: none sent; null: sent more than once (refused, §4.3 check 1). */
  proof: string | null | undefined;
  /** The request's method, exactly as sent. */
  method: string;
  /** The request's absolute URL as served, or undefined when its origin is unknown (then no proof can match). */
  url: string | undefined;
}

/** A presentation from its parts: `origin` (scheme://host[:port]) and `path` as the request carries them. */
export function dpopPresentation(scheme: string, proof: string | null | undefined, method: string, origin: string | undefined, path: string): Presentation {
  return { scheme: scheme === "dpop" ? "dpop" : "bearer", proof, method, url: origin === undefined ? undefined : origin.replace(/\/$/, "") + path };
}

export type DpopRefusal = { ok: false; refusal: "dpop"; error: DpopError; reason: string; claims: AccessTokenClaims };

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

/**
 * Whether this use may go on: null if so. A bound token needs the DPoP scheme and a proof by its
 * key for this method and URL, with its `ath`, recent, and never seen before by any instance; the
 * DPoP scheme with an unbound token is refused too (the client meant a binding that is not there).
 */
export async function provePossession(
  ctx: { config: Pick<Config, "dpopWindowSeconds">; dpopProofs: DpopProofStore },
  token: string,
  claims: AccessTokenClaims,
  record: TokenAuthRecord,
  presented: Presentation | undefined,
): Promise<DpopRefusal | null> {
  const refuse = (error: DpopError, reason: string): DpopRefusal => ({ ok: false, refusal: "dpop", error, reason, claims });
  if (record.dpopJkt === null) return presented?.scheme === "dpop" ? refuse("invalid_token", "The token is not DPoP-bound: send it as Bearer") : null;
  if (presented === undefined || presented.scheme !== "dpop") return refuse("invalid_token", "The token is DPoP-bound: send it as Authorization: DPoP with a DPoP proof");
  if (presented.proof === undefined) return refuse("invalid_dpop_proof", "No DPoP proof was sent");
  if (presented.proof === null) return refuse("invalid_dpop_proof", "More than one DPoP header was sent");
  if (presented.url === undefined) return refuse("invalid_dpop_proof", "The request's URL is not known here, so no proof can name it");
  const checked = await checkDpopProof({
    proof: presented.proof,
    method: presented.method,
    url: presented.url,
    accessToken: token,
    jkt: record.dpopJkt,
    now: Math.floor(Date.now() / 1000),
    windowSeconds: ctx.config.dpopWindowSeconds,
  });
  if (!checked.ok) return refuse(checked.error, checked.reason);
  // Last: only a proof that passed everything else is written, so nobody without the key adds rows.
  if (!(await ctx.dpopProofs.claim(checked.replayKey, checked.rememberUntil))) return refuse("invalid_dpop_proof", "This DPoP proof was used before");
  return null;
}
