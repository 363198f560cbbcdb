import type pg from "pg";
import type { AccessToken } from "../generated/prisma/client.js";
import type { TokenAuthRecord, TokenReader } from "../contracts.js";
import type { ChangeFeed } from "./change-feed.js";
import { createPostgresTokenSearch } from "./token-search.js";
import { PG_TOKEN_COLUMNS } from "./rows.js";
import { tokenLimits } from "../token-limits.js";

interface PgTokenRow {
  id: string;
  userId: string;
  description: string;
  lifeSeconds: number;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  endpoints: string | null;
  familyId: string | null;
  rotatedAt: Date | null;
  replacedById: string | null;
  parentId: string | null;
  signingKeyId: string | null;
  rateLimitRequests: number | null;
  rateLimitSeconds: number | null;
  allowedIps: string | null;
}
type PgTokenUserRow = PgTokenRow & { username: string; isAdmin: boolean };

const COLUMNS = PG_TOKEN_COLUMNS;

const toAccessToken = ({ username: _u, isAdmin: _a, ...row }: PgTokenUserRow | (PgTokenRow & { username?: string; isAdmin?: boolean })): AccessToken => row;

/**
 * The hot reads on PostgreSQL: named prepared statements over a pool, token rows cached by id.
 * The cache is emptied by the change feed (LISTEN/NOTIFY, sent by triggers in the same
 * transaction as any write) and is not used at all while the feed is not live: then every read
 * goes to the database. A read that overlaps an invalidation is not cached (generation check).
 */
export function createPostgresTokenReader(pool: pg.Pool, feed: ChangeFeed, options: { maxCachedRows?: number } = {}): TokenReader {
  const maxCachedRows = options.maxCachedRows ?? 50_000;
  const rows = new Map<string, PgTokenUserRow>();
  let generation = 0;
  const forget = (changed: readonly string[] | "all") => {
    generation++;
    if (changed === "all") rows.clear();
    else for (const id of changed) rows.delete(id);
  };
  const unsubscribe = feed.subscribe(forget);

  async function row(id: string): Promise<PgTokenUserRow | undefined> {
    if (feed.live) {
      const cached = rows.get(id);
      if (cached) return cached;
    }
    const before = generation;
    const wasLive = feed.live;
    const { rows: found } = await pool.query<PgTokenUserRow>({
      name: "tokensmith_token_by_id",
      text: `SELECT ${COLUMNS}, u."username", u."isAdmin" FROM "AccessToken" t JOIN "User" u ON u."id" = t."userId" WHERE t."id" = $1`,
      values: [id],
    });
    const result = found[0];
    if (result && wasLive && feed.live && before === generation) {
      if (rows.size >= maxCachedRows) rows.clear();
      rows.set(id, result);
    }
    return result;
  }

  return {
    async authRecord(tokenId): Promise<TokenAuthRecord | undefined> {
      const found = await row(tokenId);
      if (!found) return undefined;
      return {
        userId: found.userId,
        username: found.username,
        isAdmin: found.isAdmin,
        tokenHash: found.tokenHash,
        expiresAt: found.expiresAt.getTime(),
        revokedAt: found.revokedAt?.getTime() ?? null,
        endpoints: found.endpoints === null ? null : (JSON.parse(found.endpoints) as string[]),
        rotatedAt: found.rotatedAt?.getTime() ?? null,
        familyId: found.familyId,
        ...tokenLimits(found),
      };
    },
    async activeToken(tokenId, userId) {
      const found = await row(tokenId);
      const inForce = found && (found.revokedAt === null || found.revokedAt.getTime() > Date.now());
      return found && found.userId === userId && inForce ? toAccessToken(found) : undefined;
    },
    async activeTokens(userId) {
      const { rows: found } = await pool.query<PgTokenRow>({
        name: "tokensmith_tokens_in_force",
        text: `SELECT ${COLUMNS} FROM "AccessToken" t
                WHERE t."userId" = $1 AND (t."revokedAt" IS NULL OR t."revokedAt" > now())
                ORDER BY t."createdAt" DESC, t."id" ASC`,
        values: [userId],
      });
      return found.map((r) => ({ ...toAccessToken(r), tokenHash: "" }));
    },
    search: createPostgresTokenSearch(pool),
    invalidate: () => forget("all"),
    close: () => {
      unsubscribe();
    },
  };
}
