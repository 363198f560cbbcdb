import { checkDpopUse, type AccessTokenClaims, type DpopError, type DpopPresentation } from "@tokensmith/core";
import type { DpopProofStore, TokenAuthRecord } from "@tokensmith/db";
import type { Config } from "../config.js";

export { dpopChallenge, dpopHeader } from "@tokensmith/core";

/**
 * DPoP-bound tokens (RFC 9449): the one place a bound token's use is judged. Every entry point
 * (REST, tRPC, forward auth) reaches it through checkBearer; introspection reports `cnf` and leaves
 * the proof to the resource server that received it (§6.2).
 */

/** What one request presents besides the token (core's rule reads it). */
export type Presentation = DpopPresentation;

/** A presentation from its parts: `origin` (scheme://host[:port]) and `path` as the request carries them. */
export function dpopPresentation(scheme: string, proof: string | null | undefined, method: string, origin: string | undefined, path: string): Presentation {
  return { scheme: scheme === "dpop" ? "dpop" : "bearer", proof, method, url: origin === undefined ? undefined : origin.replace(/\/$/, "") + path };
}

export type DpopRefusal = { ok: false; refusal: "dpop"; error: DpopError; reason: string; claims: AccessTokenClaims };

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
  const checked = await checkDpopUse(record.dpopJkt, token, presented, { now: Math.floor(Date.now() / 1000), windowSeconds: ctx.config.dpopWindowSeconds });
  if (!checked.ok) return refuse(checked.error, checked.reason);
  if (checked.replayKey === null) return null;
  // Last: only a proof that passed everything else is written, so nobody without the key adds rows.
  // Kept a window longer than its iat is accepted here: every instance prunes by its own clock, and
  // one running ahead would otherwise delete it while another still accepts it (clock skew).
  const rememberUntil = checked.rememberUntil + ctx.config.dpopWindowSeconds * 1000;
  if (!(await ctx.dpopProofs.claim(checked.replayKey, rememberUntil))) return refuse("invalid_dpop_proof", "This DPoP proof was used before");
  return null;
}
