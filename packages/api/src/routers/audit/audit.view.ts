import type { AuditEvent } from "@tokensmith/db";

export interface AuditView {
  id: number;
  at: string;
  action: string;
  username: string | null;
  /** "service" when the event is a service account's (its tokens' creation, use, revocation). */
  accountType: "person" | "service";
  tokenId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, unknown> | null;
}

export const toAuditView = (e: AuditEvent, services: ReadonlySet<string> = new Set()): AuditView => ({
  id: e.id,
  at: e.at.toISOString(),
  action: e.action,
  username: e.username,
  accountType: e.userId !== null && services.has(e.userId) ? "service" : "person",
  tokenId: e.tokenId,
  ip: e.ip,
  userAgent: e.userAgent,
  detail: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : null,
});
