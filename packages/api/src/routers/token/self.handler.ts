import { invalidField } from "../field-error.js";
import { remainingSeconds } from "@tokensmith/core";
import type { AuthedContext } from "../../context/index.js";
import type { CallerToken } from "../../auth/caller.js";
import { revokeTokenHandler } from "./revoke.handler.js";

export interface SelfView {
  userId: string;
  username: string;
  tokenId: string;
  endpoints: string[] | null;
  expiresAt: string;
  remainingSeconds: number;
  rateLimit: { requests: number; perSeconds: number } | null;
  allowedIps: string[] | null;
  /** Allowed uses in all, and left after this request's own use; null: no limit. */
  maxUses: number | null;
  usesLeft: number | null;
  audience: string[] | null;
  dpopJkt: string | null;
}

function ownToken(ctx: AuthedContext): CallerToken {
  if (!ctx.caller.token) {
    throw invalidField("authorization", "self needs a Bearer token: it describes the token that authenticates the request");
  }
  return ctx.caller.token;
}

/** The token that authenticates this request, as its holder may see it. */
export function selfHandler(ctx: AuthedContext): SelfView {
  const token = ownToken(ctx);
  return {
    userId: ctx.caller.userId,
    username: ctx.caller.username,
    tokenId: token.id,
    endpoints: token.endpoints,
    expiresAt: new Date(token.expiresAt).toISOString(),
    remainingSeconds: remainingSeconds(new Date(token.expiresAt)),
    rateLimit: token.rateLimit && { requests: token.rateLimit.requests, perSeconds: token.rateLimit.windowSeconds },
    allowedIps: token.allowedIps,
    maxUses: token.maxUses,
    usesLeft: token.usesLeft ?? null,
    audience: token.audience,
    dpopJkt: token.dpopJkt,
  };
}

/** A token revokes itself: e.g. a CI job giving up its credential when it is done. */
export function revokeSelfHandler(ctx: AuthedContext): Promise<{ id: string }> {
  return revokeTokenHandler(ctx, { id: ownToken(ctx).id });
}
