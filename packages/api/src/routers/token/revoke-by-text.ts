import { TRPCError } from "@trpc/server";
import { sha256Hex, verifyAccessToken } from "@tokensmith/core";
import type { AuthedContext, Context } from "../../context/index.js";
import { recordAudit } from "../../audit/record.js";
import { MAX_TOKEN_LENGTH } from "../../auth/bearer.js";
import { endTokens, revokeToken } from "./revoke.handler.js";

interface Found {
  id: string;
  userId: string;
  username: string;
}

/**
 * The tokens of ours among `texts`: a signature that verifies with our keys, unexpired, and the
 * very text whose hash is on the row. Nothing else names a token here — not an id, not a
 * lookalike — so revoking by text takes holding the token.
 */
export async function tokensByText(ctx: Pick<Context, "db" | "keys">, texts: readonly string[]): Promise<Found[]> {
  const ids = new Map<string, string>();
  for (const text of new Set(texts)) {
    if (text.length === 0 || text.length > MAX_TOKEN_LENGTH) continue;
    const verified = await verifyAccessToken(text, ctx.keys.lookup);
    if (verified.ok) ids.set(sha256Hex(text), verified.claims.jti);
  }
  // Asked even when nothing verified, so that the work done does not depend on what was sent.
  const rows = await ctx.db.accessToken.findMany({
    where: { tokenHash: { in: [...ids.keys()] } },
    select: { id: true, userId: true, tokenHash: true, user: { select: { username: true } } },
  });
  return rows.filter((row) => ids.get(row.tokenHash) === row.id).map((row) => ({ id: row.id, userId: row.userId, username: row.user.username }));
}

/**
 * RFC 7009 revocation by a client: its own user's token, or any user's if it is an
 * administrator. Anything else — unknown, expired, already revoked, another user's — is left
 * alone and answered the same (200), so the endpoint tells nobody what a token is.
 */
export async function revokeByTextHandler(ctx: AuthedContext, token: string): Promise<void> {
  const [found] = await tokensByText(ctx, [token]);
  if (!found || (found.userId !== ctx.caller.userId && !ctx.caller.isAdmin)) return;
  try {
    await revokeToken(ctx, found.id, found.userId === ctx.caller.userId ? ctx.caller.userId : null);
  } catch (error) {
    if (!(error instanceof TRPCError && error.code === "NOT_FOUND")) throw error;
  }
}

/**
 * A leaked token reported by whoever found it (no account needed: holding it is the proof). Each
 * token of ours in force is revoked with its lineage, with the reason "leaked": its owner sees an
 * audit event on the token (with the reporter's address) and gets token.revoked with that reason.
 */
export async function reportLeakedHandler(ctx: Context, texts: readonly string[]): Promise<void> {
  const found = await tokensByText(ctx, texts);
  if (found.length === 0) return;
  const { roots, ended } = await endTokens(ctx, found.map((token) => token.id), null, "leaked");
  const lineage = ended.length > roots.length ? { lineage: ended.length } : {};
  for (const token of found.filter((token) => roots.includes(token.id))) {
    await recordAudit(ctx, { action: "token.revoke", userId: token.userId, username: token.username, tokenId: token.id, detail: { reason: "leaked", ...lineage } });
  }
}
