import type { PrismaClient } from "./generated/prisma/client.js";
import type { KnownClientStore } from "./known-client-contracts.js";
import type { AccountWriter, AttemptCounter, DpopProofStore, KeyStore, RateWindowStore, RetentionStore, RevocationLog, TokenReader, TokenWriter, UsageStore } from "./contracts.js";
import type { UseStore } from "./use-contracts.js";
import type { WebhookQueue } from "./webhook-contracts.js";
import { parseDatabaseUrl, type DatabaseTarget } from "./url.js";

/** The Prisma client for plain reads and writes; the same model API on SQLite and PostgreSQL. */
export type Db = PrismaClient;

export interface OpenedDatabase {
  db: Db;
  target: DatabaseTarget;
  /** Names of the migrations this start applied (empty when the schema was current). */
  appliedMigrations: string[];
  /** Cached reads for the authenticated hot path. */
  tokens: TokenReader;
  /** Token writes that must be atomic: create under a parent, rotate, end a lineage. */
  tokenWriter: TokenWriter;
  attempts: AttemptCounter;
  /** Clients that gave a user's right password lately: a guess storm against the user spares them. */
  knownClients: KnownClientStore;
  accounts: AccountWriter;
  keys: KeyStore;
  /** Every end of an unexpired token, in commit order: what offline verifiers follow. */
  revocations: RevocationLog;
  usage: UsageStore;
  rateWindows: RateWindowStore;
  /** Uses left of use-limited tokens (jwt_token_max_uses). */
  uses: UseStore;
  /** DPoP proofs seen, so each is accepted once across instances (RFC 9449 §11.1). */
  dpopProofs: DpopProofStore;
  /** Background deletion of sessions, audit events and tokens kept no longer, a batch at a time. */
  retention: RetentionStore;
  /** The webhook outbox: fan-out, claims, attempts, token.expiring notices. */
  webhooks: WebhookQueue;
  /** Whether cached reads are trusted now (PostgreSQL: the change feed is live; SQLite: always). */
  cacheLive(): boolean;
  /** Each connection pool's state (PostgreSQL; SQLite has none): what metrics report. */
  pools(): PoolStats[];
  /** Whether the newest migration this build ships is recorded as applied (throws when unreachable). */
  schemaCurrent(): Promise<boolean>;
  close(): Promise<void>;
}

export interface PoolStats {
  /** "prisma" (writes and plain reads), "reads" (the Bearer hot path), "creates" (token creation). */
  name: string;
  /** Connections open, of which idle; requests waiting for a connection. */
  total: number;
  idle: number;
  waiting: number;
}

export interface OpenOptions {
  /**
   * Runs once the schema is current and before anything else may start: on PostgreSQL inside the
   * migration lock, so instances starting together do first-start work (the first admin) once.
   */
  startup?: (db: Db) => Promise<void>;
  /** PostgreSQL connections per pool (Prisma's, and the hot reads'). */
  poolSize?: number;
  /** How many token rows the token reader keeps (TOKEN_CACHE_ENTRIES); DEFAULT_TOKEN_CACHE_ENTRIES if unset. */
  cachedTokenRows?: number;
  /** Told when cached reads stop or start being trusted (PostgreSQL's change feed); silent by default. */
  onCacheState?: (live: boolean, why: string) => void;
}

/** Opens the database DATABASE_URL names (a target, or the URL itself), migrating it first. */
export async function openDatabase(where: DatabaseTarget | string, options: OpenOptions = {}): Promise<OpenedDatabase> {
  const target = typeof where === "string" ? parseDatabaseUrl(where) : where;
  if (target.kind === "postgres") {
    const { openPostgres } = await import("./postgres/open.js");
    return openPostgres(target.url, options);
  }
  const { openSqlite } = await import("./sqlite/open.js");
  return openSqlite(target.file, options);
}
