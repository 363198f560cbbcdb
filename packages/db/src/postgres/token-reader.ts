import type pg from "pg";
import { DEFAULT_TOKEN_CACHE_ENTRIES, makeRoom } from "@tokensmith/core";
import type { AccessToken } from "../generated/prisma/client.js";
import type { TokenAuthRecord, TokenReader } from "../contracts.js";
import type { ChangeFeed } from "./change-feed.js";
import { createPostgresTokenSearch } from "./token-search.js";
import { PG_TOKEN_COLUMNS } from "./rows.js";
import { tokenLimits } from "../token-limits.js";
import { createRowLoader } from "./row-loader.js";

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
  maxUses: number | null;
  usesLeft: number | null;
  audience: string | null;
  dpopJkt: string | null;
  pausedAt: Date | null;
  pausedBy: string | null;
  pauseCount: number;
}
type PgTokenUserRow = PgTokenRow & { username: string; isAdmin: boolean; introspectAny: boolean; accountType: string };

const COLUMNS = PG_TOKEN_COLUMNS;

/** A token's children ($1 parentId, $2 userId, $3 limit), newest first: the (parentId, createdAt, id) index walked. */
export const POSTGRES_CHILDREN_SQL = `SELECT ${COLUMNS} FROM "AccessToken" t WHERE t."parentId" = $1 AND t."userId" = $2
  ORDER BY t."createdAt" DESC, t."id" DESC LIMIT $3`;

interface Cached {
  row: PgTokenUserRow;
  auth?: TokenAuthRecord;
  token?: AccessToken;
}

const toAuthRecord = (found: PgTokenUserRow): TokenAuthRecord =>
  Object.freeze({
    userId: found.userId,
    username: found.username,
    isAdmin: found.isAdmin,
    introspectAny: found.introspectAny,
    accountType: found.accountType === "service" ? "service" : "person",
    tokenHash: found.tokenHash,
    expiresAt: found.expiresAt.getTime(),
    revokedAt: found.revokedAt?.getTime() ?? null,
    endpoints: found.endpoints === null ? null : (JSON.parse(found.endpoints) as string[]),
    rotatedAt: found.rotatedAt?.getTime() ?? null,
    familyId: found.familyId,
    pausedAt: found.pausedAt?.getTime() ?? null,
    ...tokenLimits(found),
  });

const toAccessToken = ({ username: _u, isAdmin: _a, introspectAny: _i, accountType: _t, ...row }: PgTokenUserRow | (PgTokenRow & { username?: string; isAdmin?: boolean; introspectAny?: boolean; accountType?: string })): AccessToken => row;

/** How long a write that takes a power away waits for every instance to acknowledge it. */
const SETTLE_TIMEOUT_MS = 1000;

/**
 * The hot reads on PostgreSQL: named prepared statements over a pool, token rows cached by id.
 * The cache is emptied by the change feed (LISTEN/NOTIFY, sent by triggers in the same
 * transaction as any write) and is not used at all while the feed is not live: then every read
 * goes to the database. A read that overlaps an invalidation is not cached (generation check).
 */
export function createPostgresTokenReader(pool: pg.Pool, feed: ChangeFeed, options: { maxCachedRows?: number } = {}): TokenReader {
  // As on SQLite: a row with what is derived from it is ~1.5 kB, and the default 10,000 keep a busy
  // install's working set within ~15 MB of a heap that `pnpm start` caps (BENCH_MEMORY);
  // TOKEN_CACHE_ENTRIES sets how many.
  const maxCachedRows = options.maxCachedRows ?? DEFAULT_TOKEN_CACHE_ENTRIES;
  /**
   * A cached row and what was derived from it (built on first use, frozen: callers share them), so
   * a cached read returns at once — no promise, no JSON.parse of endpoints per request — and the
   * authenticated hot path stays synchronous (see checkBearer), as on SQLite.
   */
  const rows = new Map<string, Cached>();
  let generation = 0;
  const forget = (changed: readonly string[] | "all") => {
    generation++;
    if (changed === "all") rows.clear();
    else for (const id of changed) rows.delete(id);
  };
  const unsubscribe = feed.subscribe(forget);

  const rowById = createRowLoader<PgTokenUserRow>(
    pool,
    "tokensmith_tokens_by_id",
    `SELECT ${COLUMNS}, u."username", u."isAdmin", u."introspectAny", u."accountType" FROM "AccessToken" t JOIN "User" u ON u."id" = t."userId" WHERE t."id" = ANY($1::text[])`,
  );

  async function load(id: string): Promise<Cached | undefined> {
    const before = generation;
    const wasLive = feed.live;
    const result = await rowById(id);
    if (!result) return undefined;
    const entry: Cached = { row: result };
    if (wasLive && feed.live && before === generation) {
      // The oldest go (Maps iterate in insertion order), not the whole cache at once.
      makeRoom(rows, maxCachedRows);
      rows.set(id, entry);
    }
    return entry;
  }

  /** Cached rows only while the change feed is live: otherwise every read goes to the database. */
  function read<T>(id: string, derive: (found: Cached | undefined) => T): T | Promise<T> {
    const cached = feed.live ? rows.get(id) : undefined;
    return cached ? derive(cached) : load(id).then(derive);
  }

  const authRecordOf = (found: Cached | undefined): TokenAuthRecord | undefined => found && (found.auth ??= toAuthRecord(found.row));

  return {
    authRecord: (tokenId) => read(tokenId, authRecordOf),
    activeToken: (tokenId, userId) =>
      read(tokenId, (found) => {
        if (!found || found.row.userId !== userId) return undefined;
        const { revokedAt } = found.row;
        if (revokedAt !== null && revokedAt.getTime() <= Date.now()) return undefined;
        return (found.token ??= Object.freeze(toAccessToken(found.row)));
      }),
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
    async childrenOf(parentId, userId, limit) {
      const { rows: found } = await pool.query<PgTokenRow>({
        name: "tokensmith_children_of",
        text: POSTGRES_CHILDREN_SQL,
        values: [parentId, userId, limit],
      });
      return found.map((r) => toAccessToken(r));
    },
    search: createPostgresTokenSearch(pool),
    invalidate: () => forget("all"),
    settled: () => feed.settled(SETTLE_TIMEOUT_MS),
    close: () => {
      unsubscribe();
    },
  };
}
