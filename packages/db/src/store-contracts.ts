import type { AccessToken } from "./generated/prisma/client.js";

/**
 * The smaller stores' contracts (sign-in attempts, accounts, signing keys, the revocation feed,
 * retention, usage, token search, rate windows, DPoP proofs): each has one implementation per
 * database. The token stores' contracts are in contracts.ts, the webhooks' in webhook-contracts.ts.
 */

export interface AttemptLimit {
  key: string;
  limit: number;
  windowMs: number;
}

export type AttemptOutcome = { ok: true } | { ok: false; retryAfterMs: number; key: string };

/**
 * Counts credential attempts per key in fixed windows. `take` is atomic across every key and every
 * process sharing the database: it counts one attempt on each key, unless one of them is already at
 * its limit, in which case it counts nothing and says how long to wait.
 */
export interface AttemptCounter {
  take(limits: readonly AttemptLimit[], now: number): Promise<AttemptOutcome>;
  /** Gives attempts back (a right password), and forgets `clear` keys entirely. */
  settle(input: { refund: readonly string[]; clear: readonly string[] }, now: number): Promise<void>;
  /** Deletes up to `batch` windows that have ended; returns how many. */
  prune(now: number, batch: number): Promise<number>;
}

export interface AccountWriter {
  /** A new password and the end of every session and known client of that user, in one step. */
  resetPassword(userId: string, passwordHash: string): Promise<void>;
}

export type KeyState = "next" | "current" | "retired";

export interface StoredSigningKey {
  kid: string;
  alg: string;
  state: KeyState;
  /** JSON; null for HS256. */
  publicJwk: string | null;
  /** Sealed with the master secret: useless without it. */
  sealedKey: string;
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
}

export interface KeyUsage {
  /** Tokens in force and not expired. */
  live: number;
  /** The latest expiry of any token it signed: until then it must stay published. */
  lastExpiresAt: number | null;
}

export interface KeyStore {
  list(): Promise<StoredSigningKey[]>;
  insert(key: Omit<StoredSigningKey, "createdAt" | "activatedAt" | "retiredAt">, now: number): Promise<void>;
  /**
   * Atomically makes the "next" key `kid` current and retires the current one. Several instances
   * may try at once: one succeeds, the others find it done (false).
   */
  activate(kid: string, now: number): Promise<boolean>;
  /** Deletes a retired key. */
  remove(kid: string): Promise<void>;
  usage(now: number): Promise<Map<string, KeyUsage>>;
  /** Tokens of older releases (no signing key recorded) are counted against `kid` from now on. */
  adopt(kid: string): Promise<number>;
}

export interface RevocationEntry {
  seq: number;
  tokenId: string;
  /** Epoch ms: when it stops (or stopped) working. */
  endsAt: number;
  /** Epoch ms: the token's expiry; the entry matters until then. */
  expiresAt: number;
  /** What happened: an end (revoke), or a pause, or a resume (which undoes only a pause). */
  kind: RevocationKind;
}

export type RevocationKind = "revoke" | "pause" | "resume";

/** The revocation feed, in sequence (= commit) order. */
export interface RevocationLog {
  /** Entries after `seq`, oldest first, at most `limit`. */
  after(seq: number, limit: number): Promise<RevocationEntry[]>;
  /** Entries of tokens not yet expired, oldest first: a snapshot for a new follower. */
  active(now: number): Promise<RevocationEntry[]>;
  /** The newest sequence number (0 for none yet). */
  latestSeq(): Promise<number>;
  /** Deletes up to `batch` entries of expired tokens. */
  prune(now: number, batch: number): Promise<number>;
  /** Called when entries may have been appended (and after any gap in watching). */
  watch(onAppend: () => void): () => void;
}

/** Rows one retention batch deleted, or "busy": another instance is pruning right now. */
export type PruneResult = number | "busy";

/**
 * Deletes what is kept no longer, at most `batch` rows per call, so that no call holds the SQLite
 * write lock (or PostgreSQL's row locks) for long. Every call is idempotent: instances sharing a
 * database may run them at once; on PostgreSQL one holds a lock and the others answer "busy".
 */
export interface RetentionStore {
  /** Dashboard sessions that expired at or before `now`. */
  deleteExpiredSessions(now: number, batch: number): Promise<PruneResult>;
  /** Audit events recorded before `before`. */
  deleteAuditEvents(before: number, batch: number): Promise<PruneResult>;
  /**
   * Tokens that ended — expired, or revoked — at or before `endedBefore`, and whose JWT expired at
   * or before `now`, with their usage counts and revocation-feed rows. A token whose JWT still
   * verifies keeps its row whatever its age: Bearer checks and the feed refuse it by that row.
   */
  deleteEndedTokens(endedBefore: number, now: number, batch: number): Promise<PruneResult>;
  /** Hourly usage counts of hours that began before `before` (older than any usage chart shows). */
  deleteUsageBefore(before: number, batch: number): Promise<PruneResult>;
}

export type UsageOutcome = "allowed" | "unauthorized" | "forbidden" | "limited";

export interface UsageRow {
  tokenId: string;
  /** Epoch ms of the start of the hour (UTC). */
  hour: number;
  allowed: number;
  unauthorized: number;
  forbidden: number;
  limited: number;
}

export interface UsageStore {
  /** Adds counts as increments (instances adding the same hour add up), all rows or none. Rows are unique by (token, hour). */
  add(rows: readonly UsageRow[]): Promise<void>;
  /** A token's hours from `from` (inclusive) to `to` (exclusive), oldest first. */
  hours(tokenId: string, from: number, to: number): Promise<UsageRow[]>;
}

/**
 * What the token list can be narrowed to: "in force" (the default) is everything not revoked;
 * "active" is what still works (valid or expiring), "inactive" what no longer does (expired or revoked).
 */
export type TokenStateFilter = "all" | "in_force" | "active" | "inactive" | "valid" | "expiring" | "expired" | "revoked";

export interface TokenQuery {
  /** Whose tokens; null: every user's (administrators). */
  userId: string | null;
  /** Words, each in the description (case-insensitive) or starting the id, in any order. */
  text?: string;
  state?: TokenStateFilter;
  /** limited: tokens with an endpoint list; all: tokens allowed every endpoint. */
  endpoints?: "limited" | "all";
  sort: "created" | "expires" | "last_used";
  order: "asc" | "desc";
  offset: number;
  limit: number;
  now: number;
}

export interface TokenPage {
  tokens: AccessToken[];
  /**
   * How many match the query in all when totalExact; otherwise at least this many (the count
   * stops TOTAL_COUNT_BOUND rows past the page's first row, so a long list costs no more to page).
   */
  total: number;
  totalExact: boolean;
}

/** Requests counted against per-token rate limits, per fixed window, shared by every instance. */
export interface RateWindowStore {
  /** Adds `delta` (0 to read) to the token's count for the window starting at `windowStart` (epoch s); the new total. */
  add(tokenId: string, windowStart: number, delta: number): Promise<number>;
  /** Deletes windows that started before `before` (epoch s); how many. */
  prune(before: number): Promise<number>;
}


/**
 * DPoP proofs seen (RFC 9449 §11.1): a proof is accepted once, across every instance and worker
 * sharing the database. Keys are fixed-length hashes; rows live until `expiresAt` and are pruned.
 */
export interface DpopProofStore {
  /** Records a proof; false when it was recorded before (a replay). Atomic across processes. */
  claim(key: string, expiresAt: number): Promise<boolean>;
  /** Deletes up to `batch` proofs that expired at or before `now`; how many. */
  prune(now: number, batch: number): Promise<number>;
}
