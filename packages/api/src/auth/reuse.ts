import type { TokenAuthRecord } from "@tokensmith/db";
import type { Services } from "../context/services.js";
import type { RequestMeta } from "../context/request-meta.js";
import { recordAudit } from "../audit/record.js";
import { reuseEvent } from "../webhooks/token-events.js";

/**
 * Reuse detection: a token rotated away is presented after its overlap ended — someone kept a copy.
 * Its whole lineage is revoked now: every token of its rotation family, and everything any of them
 * created. The event is recorded.
 */
export async function revokeFamilyOnReuse(
  ctx: Pick<Services, "db" | "tokens" | "tokenWriter" | "revocations" | "webhooks"> & { request: RequestMeta },
  tokenId: string,
  record: TokenAuthRecord,
): Promise<void> {
  const familyId = record.familyId ?? tokenId;
  const events = await reuseEvent(ctx.db, tokenId, record, familyId);
  const ended = await ctx.tokenWriter.endFamily(familyId, Date.now(), events);
  ctx.webhooks.nudge();
  ctx.tokens.invalidate();
  // Followers of the revocation feed hear of it now, not at the next poll.
  void ctx.revocations.sync();
  if (ended.length > 0) {
    await recordAudit(ctx, {
      action: "token.reuse_detected",
      userId: record.userId,
      username: record.username,
      tokenId,
      detail: { familyId, revoked: ended.length },
    });
  }
}
