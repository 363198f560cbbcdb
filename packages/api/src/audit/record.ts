import type { Services } from "../context/services.js";
import type { RequestMeta } from "../context/request-meta.js";

export type AuditAction =
  | "token.create"
  | "token.rotate"
  | "token.revoke"
  | "token.reuse_detected"
  | "auth.login_success"
  | "auth.login_failure"
  | "auth.basic_failure"
  | "auth.rate_limited"
  | "user.create"
  | "user.delete"
  | "user.password_reset";

export interface AuditFacts {
  action: AuditAction;
  userId?: string | null;
  username?: string | null;
  tokenId?: string | null;
  detail?: Record<string, unknown>;
}

/** Writes one audit event with who, when, where from (IP, user agent). Awaited: an event is never lost quietly. */
export async function recordAudit(ctx: Pick<Services, "db"> & { request: RequestMeta }, facts: AuditFacts): Promise<void> {
  await ctx.db.auditEvent.create({
    data: {
      action: facts.action,
      userId: facts.userId ?? null,
      username: facts.username ?? null,
      tokenId: facts.tokenId ?? null,
      ip: ctx.request.ip ?? null,
      userAgent: ctx.request.userAgent?.slice(0, 300) ?? null,
      detail: facts.detail ? JSON.stringify(facts.detail) : null,
    },
  });
}

/** Audit facts naming the signed-in caller as the actor. */
export const byCaller = (ctx: { caller: { userId: string; username: string } }) => ({
  userId: ctx.caller.userId,
  username: ctx.caller.username,
});
