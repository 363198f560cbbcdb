import type { AuditEvent } from "@tokensmith/db";

export interface AuditView {
  id: number;
  at: string;
  action: string;
  username: string | null;
  tokenId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, unknown> | null;
}

export const toAuditView = (e: AuditEvent): AuditView => ({
  id: e.id,
  at: e.at.toISOString(),
  action: e.action,
  username: e.username,
  tokenId: e.tokenId,
  ip: e.ip,
  userAgent: e.userAgent,
  detail: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : null,
});
