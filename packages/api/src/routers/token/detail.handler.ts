import { TRPCError } from "@trpc/server";
import type { AccessToken } from "@tokensmith/db";
import type { AuthedContext } from "../../context/index.js";
import { toAuditView, type AuditView } from "../audit/audit.view.js";
import type { UsageSeries } from "../../usage/usage-series.js";
import { TOKEN_NOT_FOUND, toTokenView, type TokenView } from "./token.schema.js";

/** Another token, as a link from a detail page. */
export interface TokenLink {
  id: string;
  description: string;
  state: TokenView["state"];
}

export interface TokenDetail {
  token: TokenView;
  /** The token this one replaced (rotation), and the one that replaced it. */
  rotatedFrom: TokenLink | null;
  rotatedTo: TokenLink | null;
  /** The token whose request created this one, and those this one created (newest first, up to 100). */
  createdBy: TokenLink | null;
  created: TokenLink[];
  /** Its audit events, newest first (up to 50). */
  events: AuditView[];
  usage: UsageSeries;
  /** The server's clock when this was read (ISO), for the page clock: states change on time. */
  now: string;
}

/**
 * Everything about one of the caller's tokens — in force, expired or revoked. Another user's token
 * is "not found", never "forbidden": existence must not leak.
 */
export async function tokenDetailHandler(ctx: AuthedContext, input: { id: string }): Promise<TokenDetail> {
  const now = Date.now();
  const owner = ctx.caller.userId;
  const token = await ctx.db.accessToken.findFirst({ where: { id: input.id, userId: owner } });
  if (!token) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
  const link = (t: AccessToken | null): TokenLink | null => (t ? { id: t.id, description: t.description, state: toTokenView(t, now).state } : null);
  const [rotatedFrom, rotatedTo, createdBy, created, events, usage] = await Promise.all([
    ctx.db.accessToken.findFirst({ where: { replacedById: token.id, userId: owner } }),
    token.replacedById ? ctx.db.accessToken.findFirst({ where: { id: token.replacedById, userId: owner } }) : null,
    token.parentId ? ctx.db.accessToken.findFirst({ where: { id: token.parentId, userId: owner } }) : null,
    ctx.db.accessToken.findMany({ where: { parentId: token.id, userId: owner }, orderBy: [{ createdAt: "desc" }, { id: "asc" }], take: 100 }),
    ctx.db.auditEvent.findMany({ where: { tokenId: token.id, ...(ctx.caller.isAdmin ? {} : { userId: owner }) }, orderBy: { id: "desc" }, take: 50 }),
    ctx.usage.series(token.id, now),
  ]);
  return {
    token: toTokenView(token, now),
    rotatedFrom: link(rotatedFrom),
    rotatedTo: link(rotatedTo),
    createdBy: link(createdBy),
    created: created.map((t) => link(t)!),
    events: events.map((e) => toAuditView(e)),
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
