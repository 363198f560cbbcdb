import type { AuditRow } from "@tokensmith/db";
import type { Services } from "../context/services.js";
import type { RequestMeta } from "../context/request-meta.js";

export type AuditAction =
  | "token.create"
  | "token.rotate"
  | "token.update"
  | "token.pause"
  | "token.resume"
  | "token.revoke"
  | "token.reuse_detected"
  | "auth.login_success"
  | "auth.login_failure"
  | "auth.basic_failure"
  | "auth.rate_limited"
  | "user.create"
  | "user.delete"
  | "user.password_reset"
  /** A user changed their own password (the current one given). */
  | "user.password_change"
  | "user.import"
  | "token.import"
  | "user.introspection"
  /** Written by the username_case migration: a name another user had in another case. */
  | "user.rename"
  | "key.rotate"
  | "webhook.create"
  | "webhook.delete"
  | "service_account.create"
  | "service_account.manager_add"
  | "service_account.manager_remove"
  | "token_policy.set";

export interface AuditFacts {
  action: AuditAction;
  userId?: string | null;
  username?: string | null;
  tokenId?: string | null;
  detail?: Record<string, unknown>;
}

/** The row for one audit event: who, what, and where from (IP, user agent). */
export function auditRow(ctx: { request: RequestMeta }, facts: AuditFacts): AuditRow {
  return {
    action: facts.action,
    userId: facts.userId ?? null,
    username: facts.username ?? null,
    tokenId: facts.tokenId ?? null,
    ip: ctx.request.ip ?? null,
    userAgent: ctx.request.userAgent?.slice(0, 300) ?? null,
    detail: facts.detail ? JSON.stringify(facts.detail) : null,
  };
}

/** Writes one audit event. Awaited: an event is never lost quietly. */
export async function recordAudit(ctx: Pick<Services, "db"> & { request: RequestMeta }, facts: AuditFacts): Promise<void> {
  await ctx.db.auditEvent.create({ data: auditRow(ctx, facts) });
}

/** Audit facts naming the signed-in caller as the actor. */
export const byCaller = (ctx: { caller: { userId: string; username: string } }) => ({
  userId: ctx.caller.userId,
  username: ctx.caller.username,
});
