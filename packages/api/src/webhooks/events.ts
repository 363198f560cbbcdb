import { randomUUID } from "node:crypto";
import type { OutboxEvent } from "@tokensmith/db";

export const TOKEN_EVENT_TYPES = ["token.created", "token.revoked", "token.rotated", "token.reuse_detected", "token.expiring", "token.exhausted", "token.paused", "token.resumed"] as const;
export type TokenEventType = (typeof TOKEN_EVENT_TYPES)[number];
export const TEST_EVENT_TYPE = "webhook.test";

/** What every token event says about its token. Never the token itself. */
export interface TokenFacts {
  id: string;
  userId: string;
  username: string;
  description: string;
  /** Epoch ms or a Date. */
  expiresAt: number | Date;
}

/** An outbox event: `{ type, timestamp, data }`, the body receivers get, fixed now so every retry sends the same bytes. */
export function webhookEvent(type: string, userId: string, tokenId: string | null, data: Record<string, unknown>, now = Date.now()): OutboxEvent {
  return {
    id: `msg_${randomUUID()}`,
    type,
    userId,
    tokenId,
    payload: JSON.stringify({ type, timestamp: new Date(now).toISOString(), data }),
    createdAt: now,
  };
}

export function tokenEvent(type: TokenEventType, token: TokenFacts, extra: Record<string, unknown> = {}, now = Date.now()): OutboxEvent {
  return webhookEvent(
    type,
    token.userId,
    token.id,
    {
      token_id: token.id,
      user_id: token.userId,
      username: token.username,
      description: token.description,
      expires_at: new Date(token.expiresAt).toISOString(),
      ...extra,
    },
    now,
  );
}
