import { inForceWhere, type TokenAuthRecord } from "@tokensmith/db";
import type { Services } from "../context/services.js";
import type { RequestMeta } from "../context/request-meta.js";
import { recordAudit } from "../audit/record.js";

/**
 * Reuse detection: a token rotated away is presented after its overlap ended. Its whole family
 * (every token rotated from the same first one) is revoked now, and the event is recorded.
 */
export async function revokeFamilyOnReuse(
  ctx: Pick<Services, "db" | "tokens"> & { request: RequestMeta },
  tokenId: string,
  record: TokenAuthRecord,
): Promise<void> {
  const familyId = record.familyId ?? tokenId;
  const now = new Date();
  const { count } = await ctx.db.accessToken.updateMany({
    where: { OR: [{ familyId }, { id: familyId }], AND: [inForceWhere(now)] },
    data: { revokedAt: now },
  });
  ctx.tokens.invalidate();
  if (count > 0) {
    await recordAudit(ctx, {
      action: "token.reuse_detected",
      userId: record.userId,
      username: record.username,
      tokenId,
      detail: { familyId, revoked: count },
    });
  }
}
