import type { AccessToken } from "@tokensmith/db";
import type { AuditView } from "../audit/audit.view.js";
import { REUSE_REASON } from "../../auth/reuse.js";

/**
 * Why a token stopped before its expiry, from its audit events:
 * - reuse_detected: a rotated-away token of its family was presented after it stopped (`trigger`,
 *   from `ip`), and the whole family was revoked;
 * - revoked: its owner (or an administrator: `byAdmin`) revoked it, `by` naming who;
 * - rotated: it was replaced, and its overlap ended;
 * - with_parent: the token that created it stopped, and took it along;
 * - unknown: no event says (its events were deleted by AUDIT_RETENTION).
 */
export interface TokenEnding {
  reason: "reuse_detected" | "revoked" | "rotated" | "with_parent" | "unknown";
  at: string;
  by: string | null;
  byAdmin: boolean;
  /** reuse_detected: the token presented, and the address it came from. */
  trigger: string | null;
  ip: string | null;
}

/** A rotated token: when, the overlap asked for, and when it stops (its expiry, if that came first). */
export interface TokenRotation {
  at: string;
  /** The overlap asked for, in seconds (null: its event is gone). */
  overlapSeconds: number | null;
  stopsAt: string;
  /** It stops at its own expiry, before the overlap asked for would have ended. */
  cutShortByExpiry: boolean;
}

const detailOf = (event: AuditView | undefined) => (event?.detail ?? {}) as Record<string, unknown>;

export function tokenEnding(token: AccessToken, events: AuditView[], parentEnded: boolean, now: number): TokenEnding | null {
  if (token.revokedAt === null || token.revokedAt.getTime() > now) return null;
  const at = token.revokedAt.toISOString();
  // Newest first: the event that ended it is the latest revoke.
  const revoke = events.find((e) => e.action === "token.revoke");
  const detail = detailOf(revoke);
  const none = { by: null, byAdmin: false, trigger: null, ip: null };
  if (revoke && detail.reason === REUSE_REASON) {
    return { ...none, reason: "reuse_detected", at: revoke.at, trigger: typeof detail.trigger === "string" ? detail.trigger : null, ip: revoke.ip };
  }
  if (revoke) return { ...none, reason: "revoked", at: revoke.at, by: revoke.username, byAdmin: detail.byAdmin === true };
  if (token.rotatedAt !== null) return { ...none, reason: "rotated", at };
  if (parentEnded) return { ...none, reason: "with_parent", at };
  return { ...none, reason: "unknown", at };
}

export function tokenRotation(token: AccessToken, events: AuditView[]): TokenRotation | null {
  if (token.rotatedAt === null || token.revokedAt === null) return null;
  const rotate = events.find((e) => e.action === "token.rotate");
  const asked = detailOf(rotate).overlapSeconds;
  const overlapSeconds = typeof asked === "number" ? asked : null;
  const wouldEnd = overlapSeconds === null ? token.revokedAt.getTime() : token.rotatedAt.getTime() + overlapSeconds * 1000;
  return {
    at: token.rotatedAt.toISOString(),
    overlapSeconds,
    stopsAt: token.revokedAt.toISOString(),
    cutShortByExpiry: token.revokedAt.getTime() >= token.expiresAt.getTime() && wouldEnd > token.expiresAt.getTime(),
  };
}
