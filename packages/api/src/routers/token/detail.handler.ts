import { TRPCError } from "@trpc/server";
import type { AccessToken } from "@tokensmith/db";
import type { AuthedContext } from "../../context/index.js";
import { toAuditView, type AuditView } from "../audit/audit.view.js";
import type { UsageSeries } from "../../usage/usage-series.js";
import { TOKEN_NOT_FOUND, toTokenView, type TokenView } from "./token.schema.js";
import { tokenEnding, tokenRotation, type TokenEnding, type TokenRotation } from "./token-ending.js";

/**
 * Another token, as a link from a detail page: with the fields the state rule reads, so the page
 * shows its state (Valid, Retiring…) by the same rule as the token's own page.
 */
export type TokenLink = Pick<TokenView, "id" | "description" | "state" | "expiresAt" | "lifeSeconds" | "retiresAt">;

export interface TokenDetail {
  token: TokenView;
  /** Whose token it is. */
  owner: string;
  /** The token this one replaced (rotation), and the one that replaced it. */
  rotatedFrom: TokenLink | null;
  rotatedTo: TokenLink | null;
  /** The token whose request created this one, and those this one created (newest first, up to 100). */
  createdBy: TokenLink | null;
  created: TokenLink[];
  /** Why it stopped before its expiry (null while it works, or once it simply expired). */
  ending: (TokenEnding & { triggerToken: TokenLink | null }) | null;
  /** Its rotation, if it was rotated: when, the overlap asked for, when it stops. */
  rotation: TokenRotation | null;
  /** Its audit events, and the rotation that made it, newest first (up to 50). */
  events: AuditView[];
  usage: UsageSeries;
  /** The server's clock when this was read (ISO), for the page clock: states change on time. */
  now: string;
}

/**
 * Everything about one token — in force, expired or revoked: one of the caller's (`owner`), or any
 * user's for an administrator (owner null). Another user's token is "not found", never
 * "forbidden": existence must not leak. Events about the token by someone else (an administrator
 * who revoked it) are shown without their address and user agent.
 */
export async function tokenDetailHandler(ctx: AuthedContext, input: { id: string }, owner: string | null = ctx.caller.userId): Promise<TokenDetail> {
  const now = Date.now();
  const token = await ctx.db.accessToken.findFirst({ where: { id: input.id, ...(owner === null ? {} : { userId: owner }) }, include: { user: { select: { username: true } } } });
  if (!token) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
  const same = { userId: token.userId };
  const link = (t: AccessToken | null): TokenLink | null => {
    if (!t) return null;
    const { id, description, state, expiresAt, lifeSeconds, retiresAt } = toTokenView(t, now);
    return { id, description, state, expiresAt, lifeSeconds, retiresAt };
  };
  const [rotatedFrom, rotatedTo, createdBy, created, usage] = await Promise.all([
    ctx.db.accessToken.findFirst({ where: { replacedById: token.id, ...same } }),
    token.replacedById ? ctx.db.accessToken.findFirst({ where: { id: token.replacedById, ...same } }) : null,
    token.parentId ? ctx.db.accessToken.findFirst({ where: { id: token.parentId, ...same } }) : null,
    ctx.tokens.childrenOf(token.id, token.userId, 100),
    ctx.usage.series(token.id, now),
  ]);
  const rows = await ctx.db.auditEvent.findMany({
    where: { OR: [{ tokenId: token.id }, ...(rotatedFrom ? [{ tokenId: rotatedFrom.id, action: "token.rotate" }] : [])] },
    orderBy: { id: "desc" },
    take: 50,
  });
  const events = rows.map((row) => {
    const view = toAuditView(row);
    return ctx.caller.isAdmin || row.userId === ctx.caller.userId ? view : { ...view, ip: null, userAgent: null };
  });
  const own = events.filter((e) => e.tokenId === token.id);
  const parentEnded = createdBy !== null && toTokenView(createdBy, now).state === "revoked";
  const ending = tokenEnding(token, own, parentEnded, now);
  const trigger = ending?.trigger ? await ctx.db.accessToken.findFirst({ where: { id: ending.trigger, ...same } }) : null;
  return {
    token: toTokenView(token, now),
    owner: token.user.username,
    rotatedFrom: link(rotatedFrom),
    rotatedTo: link(rotatedTo),
    createdBy: link(createdBy),
    created: created.map((t) => link(t)!),
    ending: ending && { ...ending, triggerToken: link(trigger) },
    rotation: tokenRotation(token, own),
    events,
    usage,
    now: new Date(now).toISOString(),
  };
}

/** Just the usage series of one of the caller's tokens (REST: GET /v1alpha/token/{id}/usage). */
export async function tokenUsageHandler(ctx: AuthedContext, input: { id: string }): Promise<UsageSeries> {
  const token = await ctx.db.accessToken.findFirst({ where: { id: input.id, userId: ctx.caller.userId }, select: { id: true } });
  if (!token) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
  return ctx.usage.series(token.id);
}
