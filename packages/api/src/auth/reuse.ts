import type { TokenAuthRecord } from "@tokensmith/db";
import type { Services } from "../context/services.js";
import type { RequestMeta } from "../context/request-meta.js";
import { auditRow } from "../audit/record.js";
import { reuseEvent } from "../webhooks/token-events.js";

/** Why a token ended, as its revoke audit event says (`detail.reason`). */
export const REUSE_REASON = "reuse_detected";

/**
 * Reuse detection: a token rotated away is presented after its overlap ended — someone kept a copy.
 * Its whole lineage is revoked now: every token of its rotation family, and everything any of them
 * created. Every token that stopped gets a token.revoke event naming the reason, the token
 * presented and the address it came from (`clientAddress`: the one its allowlist is checked
 * against), and the presented token gets token.reuse_detected — in the transaction that ends them,
 * so no token is ever revoked without its reason. Presented again, nothing more ends and nothing
 * more is recorded: a replayed copy cannot fill the audit log.
 */
export async function revokeFamilyOnReuse(
  ctx: Pick<Services, "db" | "tokens" | "tokenWriter" | "revocations" | "webhooks"> & { request: RequestMeta },
  tokenId: string,
  record: TokenAuthRecord,
  clientAddress: string | null | undefined,
): Promise<void> {
  const familyId = record.familyId ?? tokenId;
  const ip = clientAddress ?? ctx.request.ip ?? null;
  const events = await reuseEvent(ctx.db, tokenId, record, familyId, ip);
  const at = { request: { ...ctx.request, ip: ip ?? undefined } };
  const owner = { userId: record.userId, username: record.username };
  const audit = (ended: string[]) =>
    ended.length === 0
      ? []
      : [
          ...ended.map((id) => auditRow(at, { action: "token.revoke", ...owner, tokenId: id, detail: { reason: REUSE_REASON, trigger: tokenId, familyId } })),
          // Last, so that newest first it heads the revocations it caused.
          auditRow(at, { action: "token.reuse_detected", ...owner, tokenId, detail: { familyId, revoked: ended.length } }),
        ];
  await ctx.tokenWriter.endFamily(familyId, Date.now(), events, audit);
  ctx.webhooks.nudge();
  ctx.tokens.invalidate();
  // Followers of the revocation feed hear of it now, not at the next poll.
  void ctx.revocations.sync();
}
