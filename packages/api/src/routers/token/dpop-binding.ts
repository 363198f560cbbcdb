import { checkDpopProof } from "@tokensmith/core";
import type { AuthedContext } from "../../context/index.js";
import { invalidField } from "../field-error.js";

/**
 * The key a new token (created or rotated in) is bound to, in this order: the thumbprint the
 * request names (jwt_token_dpop_jkt / dpopJkt); else the key of a DPoP proof sent with the request;
 * else the old token's (rotation keeps a binding); else the creating token's — a child of a bound
 * token is always bound, so a stolen bound token cannot mint a plain Bearer copy of itself.
 * Null: a plain Bearer token. A binding is never removed; it may move to another key only by a
 * request that names it, which a bound caller must itself prove.
 */
export async function dpopBinding(ctx: AuthedContext, named: string | undefined, kept: string | null = null): Promise<string | null> {
  if (named !== undefined) return named;
  const presented = ctx.presented;
  const callerKey = ctx.caller.token?.dpopJkt ?? null;
  if (presented?.proof === null) throw invalidField("dpopJkt", "More than one DPoP header was sent");
  // A bound caller's proof was checked (and spent) as its own authentication: the key is the caller's.
  if (typeof presented?.proof === "string" && callerKey === null) {
    const checked = await checkDpopProof({
      proof: presented.proof,
      method: presented.method,
      url: presented.url ?? "",
      now: Math.floor(Date.now() / 1000),
      windowSeconds: ctx.config.dpopWindowSeconds,
    });
    if (!checked.ok) throw invalidField("dpopJkt", `The DPoP proof sent to bind this token was refused: ${checked.reason}`);
    if (!(await ctx.dpopProofs.claim(checked.replayKey, checked.rememberUntil))) throw invalidField("dpopJkt", "The DPoP proof sent to bind this token was used before");
    return checked.jkt;
  }
  return kept ?? callerKey;
}
