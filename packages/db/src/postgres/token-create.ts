import type pg from "pg";
import type { AccessToken } from "../generated/prisma/client.js";
import type { CreateOutcome, NewToken, TokenWriter } from "../contracts.js";
import { PG_TOKEN_COLUMNS, tokenEndsAt as endOf } from "./rows.js";

/**
 * One statement, one round trip: the parent's shared lock and check, the insert, its audit event
 * and its outbox events commit together (or not at all). A named prepared statement: PostgreSQL
 * parses and plans it once per connection instead of on every create, the busiest write there is.
 */
const CREATE_TOKEN = `
  WITH parent AS (
    SELECT LEAST("expiresAt", COALESCE("revokedAt", 'infinity')) AS "endsAt"
      FROM "AccessToken" WHERE "id" = $8 FOR SHARE
  ), created AS (
    INSERT INTO "AccessToken" AS t ("id", "userId", "description", "lifeSeconds", "tokenHash", "endpoints", "familyId", "parentId", "signingKeyId", "createdAt", "expiresAt",
                               "rateLimitRequests", "rateLimitSeconds", "allowedIps", "maxUses", "usesLeft", "audience", "dpopJkt")
    SELECT $1, $2, $3, $4::integer, $5, $6, $7, $8, $9, $10::timestamptz, $11::timestamptz, $12::integer, $13::integer, $14, $25::integer, $26::integer, $27, $28
     WHERE ($8::text IS NULL
        OR EXISTS (SELECT 1 FROM parent WHERE "endsAt" > $15::timestamptz AND $11::timestamptz <= "endsAt"))
       -- MAX_TOKENS_PER_USER: unexpired tokens, revoked ones included, counted no further than the limit.
       AND ($24::integer IS NULL
        OR (SELECT count(*) FROM (SELECT 1 FROM "AccessToken" WHERE "userId" = $2 AND "expiresAt" > $15::timestamptz LIMIT $24::integer) AS unexpired) < $24::integer)
    RETURNING ${PG_TOKEN_COLUMNS}
  ), audited AS (
    INSERT INTO "AuditEvent" ("action", "userId", "username", "tokenId", "ip", "userAgent", "detail")
    SELECT $16, $17, $18, $19, $20, $21, $22
      FROM created WHERE $16::text IS NOT NULL
  ), outboxed AS (
    INSERT INTO "WebhookEvent" ("id", "type", "userId", "tokenId", "payload", "createdAt")
    SELECT e."id", e."type", e."userId", e."tokenId", e."payload", to_timestamp(e."createdAt" / 1000.0)
      FROM jsonb_to_recordset($23::jsonb) AS e("id" text, "type" text, "userId" text, "tokenId" text, "payload" text, "createdAt" bigint)
     WHERE EXISTS (SELECT 1 FROM created)
       -- Only events some endpoint could receive (types are matched at fan-out).
       AND EXISTS (SELECT 1 FROM "WebhookEndpoint" w WHERE w."userId" = e."userId" OR w."allUsers")
  )
  SELECT * FROM created`;

/** Token creation on PostgreSQL, over a pool of its own (see CREATE_TOKEN and open.ts). */
export function createPostgresTokenCreate(pool: pg.Pool): TokenWriter["create"] {
  return async (token: NewToken, now, audit, events, maxPerUser): Promise<CreateOutcome> => {
    const a = audit ?? null;
    const { rows } = await pool.query<AccessToken>({
      name: "tokensmith_token_create",
      text: CREATE_TOKEN,
      values: [
        token.id, token.userId, token.description, token.lifeSeconds, token.tokenHash, token.endpoints, token.familyId, token.parentId,
        token.signingKeyId, new Date(token.createdAt), new Date(token.expiresAt), token.rateLimitRequests, token.rateLimitSeconds, token.allowedIps,
        new Date(now),
        a?.action ?? null, a?.userId ?? null, a?.username ?? null, a?.tokenId ?? null, a?.ip ?? null, a?.userAgent ?? null, a?.detail ?? null,
        JSON.stringify(events ?? []),
        maxPerUser ?? null,
        token.maxUses, token.usesLeft, token.audience, token.dpopJkt,
      ],
    });
    const [created] = rows;
    if (created) return { ok: true, token: created };
    // Refused: say why (the parent can only have ended since, never come back).
    if (maxPerUser !== undefined) {
      const { rows: counted } = await pool.query<{ n: number }>({
        name: "tokensmith_token_unexpired",
        text: `SELECT count(*)::integer AS "n" FROM (SELECT 1 FROM "AccessToken" WHERE "userId" = $1 AND "expiresAt" > $2 LIMIT $3) AS unexpired`,
        values: [token.userId, new Date(now), maxPerUser],
      });
      if ((counted[0]?.n ?? 0) >= maxPerUser) return { ok: false, reason: "too_many_tokens", limit: maxPerUser };
    }
    if (token.parentId === null) return { ok: false, reason: "too_many_tokens", limit: maxPerUser ?? 0 };
    const { rows: parents } = await pool.query<{ expiresAt: Date; revokedAt: Date | null }>({
      name: "tokensmith_token_parent_end",
      text: `SELECT "expiresAt", "revokedAt" FROM "AccessToken" WHERE "id" = $1`,
      values: [token.parentId],
    });
    const [parent] = parents;
    if (!parent || endOf(parent) <= now) return { ok: false, reason: "parent_ended" };
    return { ok: false, reason: "outlives_parent", parentEndsAt: endOf(parent) };
  };
}
