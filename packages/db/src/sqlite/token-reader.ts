import Sqlite from "better-sqlite3";
import { DEFAULT_TOKEN_CACHE_ENTRIES, makeRoom } from "@tokensmith/core";
import { IN_FORCE_SQL, inForce } from "../in-force.js";
import type { TokenAuthRecord, TokenPage, TokenQuery, TokenReader } from "../contracts.js";
import type { AccessToken } from "../generated/prisma/client.js";
import { sqliteDate } from "./dates.js";
import { TOKEN_COLUMNS, toAccessToken, type TokenRow } from "./rows.js";
import { createSqliteTokenSearch } from "./token-search.js";
import { tokenLimits } from "../token-limits.js";
import type { CommitProbe } from "./commit-probe.js";

type TokenUserRow = TokenRow & { username: string; isAdmin: number; introspectAny: number; accountType: string };
/**
 * A cached row and what was derived from it, built on first use: the auth record (dates parsed,
 * endpoints and allowlist JSON parsed) and the AccessToken are the same for every request until
 * the row changes, so a request no longer pays JSON.parse and Date parsing for them. Frozen:
 * callers share them.
 */
interface Cached {
  row: TokenUserRow;
  auth?: TokenAuthRecord;
  token?: AccessToken;
}
type ListedRow = [
  id: string,
  description: string,
  lifeSeconds: number,
  createdAt: string,
  expiresAt: string,
  lastUsedAt: string | null,
  lastUsedIp: string | null,
  endpoints: string | null,
  revokedAt: string | null,
  parentId: string | null,
  rateLimitRequests: number | null,
  rateLimitSeconds: number | null,
  allowedIps: string | null,
  maxUses: number | null,
  usesLeft: number | null,
  audience: string | null,
  dpopJkt: string | null,
  pausedAt: string | null,
  pausedBy: string | null,
];

/**
 * A token's children (parentId, userId, limit), told its index: without statistics, SQLite would
 * walk the owner's (userId, createdAt, id) index instead, reading every one of their tokens.
 */
export const SQLITE_CHILDREN_SQL = `SELECT ${TOKEN_COLUMNS} FROM "AccessToken" AS t INDEXED BY "AccessToken_parentId_createdAt_id_idx"
  WHERE t."parentId" = ? AND t."userId" = ? ORDER BY t."createdAt" DESC, t."id" DESC LIMIT ?`;

const date = (text: string | null) => (text === null ? null : new Date(text));

/** The columns `byId` selects, in order: TOKEN_COLUMNS, then the owner's (checked when a reader opens). */
const BY_ID_COLUMNS = [
  "id", "userId", "description", "lifeSeconds", "tokenHash", "createdAt", "expiresAt", "revokedAt", "lastUsedAt", "lastUsedIp",
  "endpoints", "familyId", "rotatedAt", "replacedById", "parentId", "signingKeyId", "rateLimitRequests", "rateLimitSeconds",
  "allowedIps", "maxUses", "usesLeft", "audience", "dpopJkt", "pausedAt", "pausedBy", "pauseCount",
  "username", "isAdmin", "introspectAny", "accountType",
] as const satisfies readonly (keyof TokenUserRow)[];
/** A row in array form: each position typed by its column's name. */
type RowOf<C extends readonly (keyof TokenUserRow)[]> = { -readonly [K in keyof C]: C[K] extends keyof TokenUserRow ? TokenUserRow[C[K]] : never };
type ByIdRow = RowOf<typeof BY_ID_COLUMNS>;

/**
 * The row as an object literal of one fixed shape, from better-sqlite3's array form. As objects,
 * better-sqlite3 builds each row by adding its 30 columns one by one, which leaves V8 holding it
 * in dictionary mode: ~1.6 kB a row (measured, against ~0.3 kB here), 16 MB for a full cache, all
 * of it old-space once cached; and a first sight paid for that object too (a read took ~12 µs in
 * a loop as an object, ~8 µs as an array).
 */
const compactRow = ([
  id, userId, description, lifeSeconds, tokenHash, createdAt, expiresAt, revokedAt, lastUsedAt, lastUsedIp,
  endpoints, familyId, rotatedAt, replacedById, parentId, signingKeyId, rateLimitRequests, rateLimitSeconds,
  allowedIps, maxUses, usesLeft, audience, dpopJkt, pausedAt, pausedBy, pauseCount,
  username, isAdmin, introspectAny, accountType,
]: ByIdRow): TokenUserRow => ({
  id, userId, description, lifeSeconds, tokenHash, createdAt, expiresAt, revokedAt, lastUsedAt, lastUsedIp,
  endpoints, familyId, rotatedAt, replacedById, parentId, signingKeyId, rateLimitRequests, rateLimitSeconds,
  allowedIps, maxUses, usesLeft, audience, dpopJkt, pausedAt, pausedBy, pauseCount,
  username, isAdmin, introspectAny, accountType,
});

/** SQLite reads are synchronous; callers that know it (tests, benchmarks) need not await. */
export interface SqliteTokenReader extends TokenReader {
  authRecord(tokenId: string): TokenAuthRecord | undefined;
  activeToken(tokenId: string, userId: string, readThisRequest?: boolean): AccessToken | undefined;
  activeTokens(userId: string): AccessToken[];
  search(query: TokenQuery): TokenPage;
  childrenOf(parentId: string, userId: string, limit: number): AccessToken[];
  close(): void;
}

export interface TokenReaderOptions {
  /** How often, at most, to ask SQLite whether another connection wrote (ms); 0, the default: on every read. */
  recheckMs?: number;
  maxCachedRows?: number;
  /** Asked instead of `PRAGMA data_version` when usable (see commit-probe.ts); its owner closes it. */
  commitProbe?: CommitProbe | null;
}

/**
 * The hot reads (authenticating a Bearer token, get, list) as prepared statements on their own
 * read-only connection, with token rows cached by id. Measured here: one Prisma query cost more
 * than the whole rest of a request, and even a prepared read (a WAL read lock each) a third of it.
 *
 * The cache never serves a row that a committed write has changed:
 * - this process's writes call invalidate() (write-through, in the handlers that write);
 * - any other connection's commit — this process's Prisma writer, the admin CLI, another
 *   instance or worker on the same file — changes the wal-index header (read with one pread: see
 *   commit-probe.ts; without a probe, SQLite's `PRAGMA data_version`), which clears the cache. It
 *   is asked on every read: a revoke another process committed before this request arrived is
 *   always seen, where checking once a millisecond left a window that a fast client on loopback
 *   could hit.
 */
export function createTokenReader(file: string, options: TokenReaderOptions = {}): SqliteTokenReader {
  const recheckMs = options.recheckMs ?? 0;
  // Rows (compacted: see compactRow) with what is derived from them keep a busy install's working
  // set in the heap without growing with the tokens in use (TOKEN_CACHE_ENTRIES sets how many).
  const maxCachedRows = options.maxCachedRows ?? DEFAULT_TOKEN_CACHE_ENTRIES;
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  const byId = db
    .prepare<[string], ByIdRow>(
      `SELECT ${TOKEN_COLUMNS}, u."username" AS username, u."isAdmin" AS isAdmin, u."introspectAny" AS introspectAny, u."accountType" AS accountType
         FROM "AccessToken" t JOIN "User" u ON u."id" = t."userId" WHERE t."id" = ?`,
    )
    .raw(true);
  const selected = byId.columns().map((column) => column.name);
  if (selected.join() !== BY_ID_COLUMNS.join()) throw new Error(`token reader: the row query selects ${selected.join()}, not ${BY_ID_COLUMNS.join()}`);
  // Arrays, not objects, and only what a list shows: measured on 10,000 tokens, 15 ms instead of 45.
  const inForceByUser = db
    .prepare<[string, string], ListedRow>(
      `SELECT t."id", t."description", t."lifeSeconds", t."createdAt", t."expiresAt", t."lastUsedAt", t."lastUsedIp",
              t."endpoints", t."revokedAt", t."parentId", t."rateLimitRequests", t."rateLimitSeconds", t."allowedIps", t."maxUses", t."usesLeft", t."audience", t."dpopJkt", t."pausedAt", t."pausedBy"
         FROM "AccessToken" t WHERE t."userId" = ? AND ${IN_FORCE_SQL}
        ORDER BY t."createdAt" DESC, t."id" ASC`,
    )
    .raw(true);
  const childrenByParent = db.prepare<[string, string, number], TokenRow>(SQLITE_CHILDREN_SQL);
  const dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();

  const probe = options.commitProbe?.usable ? options.commitProbe : null;
  const rows = new Map<string, Cached>();
  let version = dataVersion.get();
  let checkedAt = performance.now();

  function row(id: string, recheck = true): Cached | undefined {
    const now = recheckMs > 0 ? performance.now() : 0;
    if (recheck && (recheckMs === 0 || now - checkedAt >= recheckMs)) {
      checkedAt = now;
      if (probe) {
        if (probe.changed()) rows.clear();
      } else {
        const current = dataVersion.get();
        if (current !== version) {
          version = current;
          rows.clear();
        }
      }
    }
    let found = rows.get(id);
    if (found === undefined) {
      const read = byId.get(id);
      if (read) {
        // The oldest go (Maps iterate in insertion order), not the whole cache at once.
        makeRoom(rows, maxCachedRows);
        found = { row: compactRow(read) };
        rows.set(id, found);
      }
    }
    return found;
  }

  const toAuthRecord = (found: TokenUserRow): TokenAuthRecord =>
    Object.freeze({
      userId: found.userId,
      username: found.username,
      isAdmin: found.isAdmin === 1,
      introspectAny: found.introspectAny === 1,
      accountType: found.accountType === "service" ? "service" : "person",
      tokenHash: found.tokenHash,
      expiresAt: Date.parse(found.expiresAt),
      revokedAt: found.revokedAt === null ? null : Date.parse(found.revokedAt),
      endpoints: found.endpoints === null ? null : (JSON.parse(found.endpoints) as string[]),
      rotatedAt: found.rotatedAt === null ? null : Date.parse(found.rotatedAt),
      familyId: found.familyId,
      pausedAt: found.pausedAt === null ? null : Date.parse(found.pausedAt),
      ...tokenLimits(found),
    });

  return {
    authRecord(tokenId) {
      const found = row(tokenId);
      if (!found) return undefined;
      return (found.auth ??= toAuthRecord(found.row));
    },
    activeToken(tokenId, userId, readThisRequest = false) {
      const found = row(tokenId, !readThisRequest);
      if (!found || found.row.userId !== userId || !inForce(found.row.revokedAt)) return undefined;
      return (found.token ??= Object.freeze(toAccessToken(found.row)));
    },
    activeTokens: (userId) =>
      inForceByUser
        .all(userId, sqliteDate(Date.now()))
        .map(([id, description, lifeSeconds, createdAt, expiresAt, lastUsedAt, lastUsedIp, endpoints, revokedAt, parentId, rateLimitRequests, rateLimitSeconds, allowedIps, maxUses, usesLeft, audience, dpopJkt, pausedAt, pausedBy]) => ({
          id,
          userId,
          description,
          lifeSeconds,
          tokenHash: "",
          createdAt: new Date(createdAt),
          expiresAt: new Date(expiresAt),
          revokedAt: date(revokedAt),
          lastUsedAt: date(lastUsedAt),
          lastUsedIp,
          endpoints,
          familyId: null,
          rotatedAt: null,
          replacedById: null,
          parentId,
          signingKeyId: null,
          rateLimitRequests,
          rateLimitSeconds,
          allowedIps,
          maxUses,
          usesLeft,
          audience,
          dpopJkt,
          pausedAt: date(pausedAt),
          pausedBy,
          pauseCount: 0,
        })),
    childrenOf: (parentId, userId, limit) => childrenByParent.all(parentId, userId, limit).map(toAccessToken),
    search: createSqliteTokenSearch(db),
    invalidate: () => rows.clear(),
    settled: () => Promise.resolve(),
    close: () => {
      db.close();
    },
  };
}
