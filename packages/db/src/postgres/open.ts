import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/postgres/client.js";
import type { Db, OpenedDatabase, OpenOptions } from "../database.js";
import { applyPostgresMigrations } from "./migrate.js";
import { openChangeFeed } from "./change-feed.js";
import { createPostgresTokenReader } from "./token-reader.js";
import { createPostgresWebhookQueue } from "./webhook-queue.js";
import { createPostgresTokenWriter } from "./token-writer.js";
import { createPostgresTokenCreate } from "./token-create.js";
import { createPostgresAttemptCounter } from "./attempts.js";
import { createPostgresAccountWriter } from "./account-writer.js";
import { createKeyStore } from "../key-store.js";
import { createRevocationLog } from "../revocation-log.js";
import { createUsageStore } from "../usage-store.js";
import { createRateWindowStore } from "../rate-window-store.js";
import { createPostgresUseStore } from "./use-store.js";
import { createPostgresDpopProofStore } from "./dpop-proofs.js";
import { createKnownClientStore } from "../known-clients.js";
import { createPostgresRetentionStore } from "./retention.js";
import { schemaCheck } from "../schema-check.js";
import { POSTGRES_MIGRATIONS_DIR } from "../paths.js";
import { createTokenPause } from "../token-pause.js";

/**
 * Opens PostgreSQL: migrates under an advisory lock (with the first-start work inside it), then a
 * Prisma client over @prisma/adapter-pg for writes, a pool of its own for the hot reads, and the
 * change feed that keeps every instance's cache honest.
 */
export async function openPostgres(url: string, options: OpenOptions = {}): Promise<OpenedDatabase> {
  const poolSize = options.poolSize ?? 10;
  // Prisma's pool is made here, not by the adapter, so that its state can be reported (metrics).
  const prismaPool = new pg.Pool({ connectionString: url, max: poolSize });
  prismaPool.on("error", () => {});
  const prisma = new PrismaClient({
    adapter: new PrismaPg(prismaPool, { disposeExternalPool: true }),
    // Prisma's default waits 2 s for a pooled connection before failing a transaction: a burst of
    // sign-ins or creates on a busy machine queues longer than that, and should wait, not fail.
    transactionOptions: { maxWait: 10_000, timeout: 15_000 },
  });
  // The two clients have identical models (one schema derives from the other); their generated
  // types differ only in provider details such as isolation levels, so one type serves both.
  const db = prisma as unknown as Db;
  const migrator = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  let appliedMigrations: string[];
  try {
    await migrator.connect();
    appliedMigrations = await applyPostgresMigrations(migrator, () => options.startup?.(db) ?? Promise.resolve());
  } catch (error) {
    await prisma.$disconnect();
    throw error;
  } finally {
    await migrator.end().catch(() => {});
  }
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // Token creation has a pool of its own: a flood of creates (or creates waiting on a parent's row
  // lock behind a large revocation) must not hold every connection the Bearer checks read through.
  const createPool = new pg.Pool({ connectionString: url, max: Math.max(2, Math.ceil(poolSize / 2)), connectionTimeoutMillis: 5000 });
  // An idle pooled connection that the server dropped must not crash the process.
  pool.on("error", () => {});
  createPool.on("error", () => {});
  const feed = await openChangeFeed(url, { onStateChange: options.onCacheState });
  const tokens = createPostgresTokenReader(pool, feed, { maxCachedRows: options.cachedTokenRows });
  const writer = createPostgresTokenWriter(prisma);
  const setPaused = createTokenPause(db);
  // A write that ends or pauses tokens is answered only once every instance has acknowledged it
  // (tokens.settled): a client told "revoked" that asks another instance at once is refused there.
  const deliveredEverywhere = async <T>(ids: readonly string[], result: T): Promise<T> => {
    if (ids.length > 0) await tokens.settled();
    return result;
  };
  return {
    db,
    target: { kind: "postgres", url },
    appliedMigrations,
    tokens,
    tokenWriter: {
      create: createPostgresTokenCreate(createPool),
      rotate: async (input) => {
        const outcome = await writer.rotate(input);
        return outcome.ok ? deliveredEverywhere([input.oldId], outcome) : outcome;
      },
      endLineage: async (input) => {
        const result = await writer.endLineage(input);
        return deliveredEverywhere(result.ended, result);
      },
      endFamily: async (familyId, at, events, audit) => {
        const ended = await writer.endFamily(familyId, at, events, audit);
        return deliveredEverywhere(ended, ended);
      },
      setPaused: async (input) => {
        const outcome = await setPaused(input);
        return outcome.ok ? deliveredEverywhere([input.id], outcome) : outcome;
      },
    },
    attempts: createPostgresAttemptCounter(prisma),
    accounts: createPostgresAccountWriter(prisma),
    keys: createKeyStore(db, "postgres"),
    usage: createUsageStore(db),
    rateWindows: createRateWindowStore(db),
    uses: createPostgresUseStore(prisma),
    dpopProofs: createPostgresDpopProofStore(prisma),
    knownClients: createKnownClientStore(db),
    webhooks: createPostgresWebhookQueue(prisma),
    revocations: createRevocationLog(db, (listener) => {
      const stop = feed.onRevocation(listener);
      queueMicrotask(listener);
      return stop;
    }),
    retention: createPostgresRetentionStore(prisma),
    cacheLive: () => feed.live,
    schemaCurrent: schemaCheck(db, POSTGRES_MIGRATIONS_DIR),
    pools: () =>
      Object.entries({ prisma: prismaPool, reads: pool, creates: createPool }).map(([name, p]) => ({
        name,
        total: p.totalCount,
        idle: p.idleCount,
        waiting: p.waitingCount,
      })),
    close: async () => {
      await tokens.close();
      await feed.close();
      await pool.end();
      await createPool.end();
      await prisma.$disconnect();
    },
  };
}
