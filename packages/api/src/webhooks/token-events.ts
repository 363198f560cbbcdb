import type { Db, OutboxEvent, TokenAuthRecord } from "@tokensmith/db";
import { tokenEvent } from "./events.js";

/** Why a token was revoked: asked by its owner or an administrator, or reported leaked by whoever found it. */
export type RevocationReason = "requested" | "leaked";

/**
 * Events whose facts the writer's transaction decides (which tokens really ended): built from rows
 * read just before, handed to the writer as a function of what it ended.
 */
export async function revokedEvents(db: Db, ids: string[], at: number, reason: RevocationReason): Promise<(roots: string[], ended: string[]) => OutboxEvent[]> {
  const rows = await db.accessToken.findMany({
    where: { id: { in: ids } },
    select: { id: true, userId: true, description: true, expiresAt: true, user: { select: { username: true } } },
  });
  return (roots, ended) =>
    rows
      .filter((row) => roots.includes(row.id))
      .map((row) =>
        tokenEvent("token.revoked", { ...row, username: row.user.username }, {
          revoked_at: new Date(at).toISOString(),
          // Like "user_deleted" (remove.handler.ts): said only when it is not the owner's own doing.
          ...(reason === "leaked" ? { reason } : {}),
          // Tokens created from it (by its Bearer requests) stop with it.
          revoked_descendants: ended.filter((id) => id !== row.id && !roots.includes(id)),
        }, at),
      );
}

/** token.reuse_detected for the token presented after its rotation ended, naming every token that stopped. */
export async function reuseEvent(db: Db, tokenId: string, record: TokenAuthRecord, familyId: string, presentedFrom: string | null): Promise<(ended: string[]) => OutboxEvent[]> {
  const row = await db.accessToken.findUnique({ where: { id: tokenId }, select: { description: true } });
  return (ended) =>
    ended.length === 0
      ? []
      : [
          tokenEvent(
            "token.reuse_detected",
            { id: tokenId, userId: record.userId, username: record.username, description: row?.description ?? "", expiresAt: record.expiresAt },
            { family_id: familyId, revoked_token_ids: ended, presented_from_ip: presentedFrom },
          ),
        ];
}
