import { log } from "./log/logger.js";
import { createKeyStore, ensureFirstAdmin, openDatabase, type FirstAdminResult, type OpenedDatabase, type OpenOptions } from "@tokensmith/db";
import { loadMasterSecret } from "./keys/master-secret-source.js";
import { bootstrapKeys } from "./keys/bootstrap.js";
import { KeyRing } from "./keys/key-ring.js";
import { RevocationHub } from "./revocations/hub.js";
import { UsageCounter } from "./usage/usage-counter.js";
import { RateLimiter } from "./rate-limits/rate-limiter.js";
import { RetentionScheduler, retentionPolicy } from "./retention/retention-scheduler.js";
import type { Config } from "./config.js";
import { createContextInner, type Services } from "./context/index.js";
import { createV1alphaHandler } from "./rest/v1alpha.js";
import { createSpecterHandler } from "./rest/specter.js";
import { createTrpcHandler } from "./node/trpc-handler.js";
import { createWellKnownHandler } from "./rest/well-known.js";
import { CredentialGuard } from "./auth/credential-guard.js";
import { FailureAudit } from "./audit/failure-audit.js";
import { BasicSuccessCache } from "./auth/basic-successes.js";
import { VerifiedTokenCache } from "./auth/verified-tokens.js";
import { LastUsedRecorder } from "./auth/last-used.js";
import { resolveCaller } from "./auth/resolve-caller.js";
import type { Caller } from "./auth/caller.js";
import { WebhookDeliverer } from "./webhooks/deliverer.js";
import { scrubAuditedWebhookUrls, sealPlainWebhookUrls } from "./webhooks/stored-urls.js";
import { Metrics } from "./metrics/metrics.js";
import { HealthChecks } from "./health/checks.js";
import { createHealthHandler } from "./rest/health.js";

/** Ended attempt windows, 1,000 at a time, until none is left or 100 batches went (100,000 rows a minute). */
export async function pruneEndedAttempts(attempts: OpenedDatabase["attempts"], now = Date.now()): Promise<void> {
  for (let batch = 0; batch < 100 && (await attempts.prune(now, 1000)) === 1000; batch++);
}

export interface OpenedServices {
  services: Services;
  /** Whether cached token reads are trusted now (see OpenedDatabase.cacheLive). */
  cacheLive(): boolean;
  /** Background deletion of what is kept no longer: the server starts it, the CLI does not. */
  retention: RetentionScheduler;
  /** This process's metrics (served only where METRICS_PORT says). */
  metrics: Metrics;
  /** What /healthz/ready answers from. */
  health: HealthChecks;
  /** Stops the background work and writes out what is counted in memory (usage, last use), then closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the database (migrating it) and the signing key: everything a caller of the procedures
 * needs. `startup` runs once the schema is current (on PostgreSQL under the migration lock).
 */
export async function openServices(config: Config, options: Pick<OpenOptions, "startup" | "onCacheState"> = {}): Promise<OpenedServices> {
  const secret = loadMasterSecret(config.secret);
  const opened = await openDatabase(config.database, {
    onCacheState: options.onCacheState,
    cachedTokenRows: config.ops.tokenCacheEntries,
    startup: async (db) => {
      await bootstrapKeys(db, createKeyStore(db, config.database.kind), secret, { alg: config.tokenAlg, jwtSecret: config.jwtSecret });
      await sealPlainWebhookUrls(db, secret);
      await scrubAuditedWebhookUrls(db);
      await options.startup?.(db);
    },
  });
  const keys = new KeyRing(opened.keys, secret, {
    alg: config.tokenAlg,
    publishDelayMs: config.keyPublishDelaySeconds * 1000,
    rotationMs: config.keyRotationSeconds === null ? null : config.keyRotationSeconds * 1000,
  });
  const revocations = new RevocationHub(opened.revocations, config.feed);
  const usage = new UsageCounter(opened.usage, config.usageFlushSeconds * 1000);
  const rateLimits = new RateLimiter(opened.rateWindows);
  const retention = new RetentionScheduler(opened.retention, retentionPolicy(config));
  const webhooks = new WebhookDeliverer(opened.webhooks, secret, config.webhooks);
  try {
    await keys.start();
    await revocations.start();
    usage.start();
    rateLimits.start();
    webhooks.start();
    const failures = new FailureAudit(opened.db);
    const verifiedTokens = new VerifiedTokenCache(config.ops.tokenCacheEntries);
    const metrics = new Metrics({
      checks: () => usage.checks(),
      firstSights: () => verifiedTokens.firstSights,
      feed: () => revocations.stats(),
      deliveries: () => webhooks.results(),
      backlog: (limit) => opened.webhooks.backlog(limit),
      pools: () => opened.pools(),
    });
    const health = new HealthChecks({
      schemaCurrent: () => opened.schemaCurrent(),
      keysLoaded: () => keys.canSign,
      listenerLive: config.database.kind === "postgres" ? opened.cacheLive : null,
    });
    const services: Services = {
      db: opened.db,
      config,
      keys,
      site: { publicUrl: config.publicUrl ?? `http://localhost:${config.port}` },
      revocations,
      usage,
      rateLimits,
      uses: opened.uses,
      dpopProofs: opened.dpopProofs,
      tokens: opened.tokens,
      // Counted on the way: tokens issued and revoked (metrics).
      tokenWriter: metrics.countingWriter(opened.tokenWriter),
      accounts: opened.accounts,
      verifiedTokens,
      lastUsed: new LastUsedRecorder(opened.db),
      attempts: opened.attempts,
      credentials: new CredentialGuard(opened.attempts, opened.knownClients, failures),
      basicSuccesses: new BasicSuccessCache(config.basicCacheSeconds * 1000, config.logPasswordHashes),
      webhooks,
    };
    // Ended attempt windows are deleted in the background, a batch at a time: no request scans them.
    // As many batches as it takes (within reason), so that windows opened by guesses from many
    // addresses go as fast as they came, not 1,000 a minute.
    let pruning = false;
    const prune = setInterval(() => {
      if (pruning) return;
      pruning = true;
      pruneEndedAttempts(opened.attempts)
        .catch((error: unknown) => log.error({ err: error }, "[attempts] prune failed"))
        .finally(() => (pruning = false));
    }, 60_000).unref();
    // DPoP proofs are remembered only while their iat is in the window: the rest go a batch at a time.
    const pruneProofs = setInterval(() => {
      void opened.dpopProofs.prune(Date.now(), 10_000).catch((error: unknown) => log.error({ err: error }, "[dpop] prune failed"));
    }, 60_000).unref();
    return {
      services,
      cacheLive: opened.cacheLive,
      retention,
      metrics,
      health,
      close: async () => {
        clearInterval(prune);
        clearInterval(pruneProofs);
        await retention.stop();
        await webhooks.stop();
        keys.stop();
        revocations.stop();
        await services.lastUsed.flush();
        await usage.close();
        await rateLimits.stop();
        await failures.close();
        await opened.close();
      },
    };
  } catch (error) {
    await webhooks.stop();
    keys.stop();
    revocations.stop();
    await opened.close();
    throw error;
  }
}

export interface Tokensmith extends OpenedServices {
  firstAdmin: FirstAdminResult;
  handleRest: ReturnType<typeof createV1alphaHandler>;
  /** Specter Desktop's token API where Specter has it: /api/v1alpha/token/…, in its wire format. */
  handleSpecter: ReturnType<typeof createSpecterHandler>;
  handleTrpc: ReturnType<typeof createTrpcHandler>;
  /** /.well-known/jwks.json and /.well-known/oauth-authorization-server. */
  handleWellKnown: ReturnType<typeof createWellKnownHandler>;
  /** /healthz/live, /healthz/ready and Specter's /api/healthz/liveness and /api/healthz/readyness. */
  handleHealth: ReturnType<typeof createHealthHandler>;
  /** Called once the server listens: without PUBLIC_URL, the listening address is the issuer. */
  listening(url: string): void;
  /** The signed-in dashboard user for a Cookie header, or null: what page gating needs. */
  sessionCaller(cookieHeader: string | undefined): Promise<Caller | null>;
}

/** The service: its services, a first admin when there is no user yet, and the HTTP handlers. */
export async function createTokensmith(config: Config): Promise<Tokensmith> {
  let firstAdmin: FirstAdminResult = { created: false };
  const opened = await openServices(config, {
    // Once, under the migration lock: instances starting together on an empty database make one admin.
    startup: async (db) => {
      firstAdmin = await ensureFirstAdmin(db, { username: config.adminUsername, password: config.adminPassword });
    },
    onCacheState: (live, why) => log[live ? "info" : "error"](`[database] change notifications ${live ? "live" : "down"}: ${why}`),
  });
  const { services } = opened;
  opened.retention.start();
  try {
    return {
      ...opened,
      firstAdmin,
      handleRest: createV1alphaHandler(services),
      handleSpecter: createSpecterHandler(services),
      handleTrpc: createTrpcHandler(services),
      handleWellKnown: createWellKnownHandler(services),
      handleHealth: createHealthHandler(opened.health),
      listening: (url) => {
        if (!config.publicUrl) services.site.publicUrl = url.replace(/\/+$/, "");
      },
      sessionCaller: async (cookie) => (cookie ? (await resolveCaller(createContextInner(services), { cookie })).caller : null),
    };
  } catch (error) {
    await opened.close();
    throw error;
  }
}
