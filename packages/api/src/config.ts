import os from "node:os";
import path from "node:path";
import { MIN_MASTER_SECRET_LENGTH, parseLifetime, TOKEN_ALGORITHMS, type TokenAlgorithm } from "@tokensmith/core";
import { DatabaseUrlError, parseDatabaseUrl, type DatabaseTarget } from "@tokensmith/db";
import { webhookSettingsFrom, type WebhookSettings } from "./webhooks/settings.js";
import { opsSettingsFrom, type OpsSettings } from "./ops/settings.js";
import { FORWARD_AUTH_HEADER_SETS, type ForwardAuthHeaders } from "./rest/forward-auth-headers.js";
import { feedSettingsFrom, type FeedSettings } from "./revocations/settings.js";
import { tokenShapeSettingsFrom, type TokenShapeSettings } from "./token-settings.js";

export interface Config extends TokenShapeSettings {
  port: number;
  host: string;
  /** SQLite file or PostgreSQL URL, from DATABASE_URL. */
  database: DatabaseTarget;
  adminUsername: string;
  /** Only used when no user exists yet: the first admin's password. */
  adminPassword: string | undefined;
  /**
   * The HS256 secret an older release was configured with (JWT_SECRET): on start it is sealed into
   * the database as the legacy key, so its tokens keep working until they expire. Never signs.
   */
  jwtSecret: string | undefined;
  /** Where the master secret comes from (see keys/master-secret-source.ts). */
  secret: SecretSource;
  /** What new tokens are signed with. */
  tokenAlg: TokenAlgorithm;
  /** The issuer (`iss`) and the base of published URLs; undefined: the listening address. */
  publicUrl: string | undefined;
  /** Automatic key rotation every so many seconds (KEY_ROTATION), or null. */
  keyRotationSeconds: number | null;
  /** How long a new key is published before it signs (JWKS caches must see it first). */
  keyPublishDelaySeconds: number;
  /** How often each instance adds the usage it counted to the database (USAGE_FLUSH_INTERVAL). */
  usageFlushSeconds: number;
  maxTokenLifeSeconds: number;
  /**
   * MAX_TOKENS_PER_USER: the most unexpired tokens one user may hold, revoked ones included (the
   * revocation feed names each until it expires, and every verifier holds it): what one user can
   * add to the feed.
   */
  maxTokensPerUser: number;
  sessionLifeSeconds: number;
  /**
   * How many reverse proxies stand in front (0: none). Only then do X-Forwarded-For, -Proto and
   * -Host count: the client address is the entry that many hops from the right.
   */
  trustProxy: number;
  /**
   * Which headers forward auth reads the original request from (FORWARD_AUTH_HEADERS): nginx's
   * X-Original-*, Traefik's and Caddy's X-Forwarded-*, or "auto", whichever came. In every mode
   * two sets that disagree are refused.
   */
  forwardAuthHeaders: ForwardAuthHeaders;
  /** How often the background retention pass runs (RETENTION_INTERVAL); null: never. */
  retentionIntervalSeconds: number | null;
  /** Audit events older than this are deleted (AUDIT_RETENTION); null: kept forever. */
  auditRetentionSeconds: number | null;
  /** How long a revoked or expired token's row outlives its end (TOKEN_RETENTION); null: forever. */
  tokenRetentionSeconds: number | null;
  /** Server processes sharing the port (WORKERS: a number, or "auto" for one per CPU). */
  workers: number;
  /** How long a verified HTTP Basic password is remembered in this process (BASIC_AUTH_CACHE); 0: never. */
  basicCacheSeconds: number;
  /** LOG_PASSWORD_HASHES=1: log a count each time HTTP Basic pays the full hash (diagnostics, tests). */
  logPasswordHashes: boolean;
  /** WEBHOOK_*: delivery, retries, SSRF rules, token.expiring lead times. */
  webhooks: WebhookSettings;
  /** LOG_LEVEL, LOG_FORMAT, METRICS_PORT, METRICS_HOST, SHUTDOWN_TIMEOUT, TOKEN_CACHE_ENTRIES. */
  ops: OpsSettings;
  /** REVOCATION_FEED_*: the keys that open the revocation feed, and how many may follow it. */
  feed: FeedSettings;
}

export type SecretSource =
  | { kind: "value"; value: string }
  | { kind: "file"; file: string; createIfMissing: boolean };

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function portFrom(value: string | undefined): number {
  if (value === undefined || value === "") return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(`PORT "${value}" is not a port number`);
  return port;
}

function lifeFrom(name: string, value: string | undefined, fallback: string): number {
  const result = parseLifetime(value && value.trim() !== "" ? value : fallback);
  if (!result.ok) throw new ConfigError(`${name}: ${result.message}`);
  return result.seconds;
}

function databaseFrom(url: string | undefined): DatabaseTarget {
  try {
    return parseDatabaseUrl(url || undefined);
  } catch (error) {
    if (error instanceof DatabaseUrlError) throw new ConfigError(error.message);
    throw error;
  }
}

function secretFrom(env: Env, database: DatabaseTarget): SecretSource {
  if (env.TOKENSMITH_SECRET) {
    if (env.TOKENSMITH_SECRET.trim().length < MIN_MASTER_SECRET_LENGTH) {
      throw new ConfigError(`TOKENSMITH_SECRET must be at least ${MIN_MASTER_SECRET_LENGTH} characters long`);
    }
    return { kind: "value", value: env.TOKENSMITH_SECRET };
  }
  if (env.TOKENSMITH_SECRET_FILE) return { kind: "file", file: path.resolve(env.TOKENSMITH_SECRET_FILE), createIfMissing: false };
  if (database.kind === "postgres") {
    throw new ConfigError(
      "With PostgreSQL, set TOKENSMITH_SECRET or TOKENSMITH_SECRET_FILE (the same on every instance): it seals the signing keys stored in the database",
    );
  }
  // Next to the SQLite file, created on first start: a copy of the database alone opens nothing.
  return { kind: "file", file: path.join(path.dirname(database.file), "tokensmith.secret"), createIfMissing: true };
}

function publicUrlFrom(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`PUBLIC_URL "${value}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ConfigError(`PUBLIC_URL "${value}" must be http:// or https://`);
  if (url.search || url.hash || url.username) throw new ConfigError(`PUBLIC_URL "${value}" must be a plain origin and path`);
  return url.toString().replace(/\/+$/, "");
}

function algFrom(value: string | undefined): TokenAlgorithm {
  const alg = value?.trim() || "ES256";
  if (!(TOKEN_ALGORITHMS as readonly string[]).includes(alg)) throw new ConfigError(`TOKEN_ALG "${value}" must be one of ${TOKEN_ALGORITHMS.join(", ")}`);
  return alg as TokenAlgorithm;
}

/** TRUST_PROXY: off by default; "true"/"1" for one proxy, or the number of proxies in front. */
function trustProxyFrom(value: string | undefined): number {
  const text = (value ?? "").trim().toLowerCase();
  if (["", "0", "false", "off", "no"].includes(text)) return 0;
  if (["true", "on", "yes"].includes(text)) return 1;
  const hops = Number(text);
  if (!Number.isInteger(hops) || hops < 1 || hops > 10) {
    throw new ConfigError(`TRUST_PROXY "${value}" must be false, true, or the number of proxies in front (1 to 10)`);
  }
  return hops;
}

function forwardAuthHeadersFrom(value: string | undefined): ForwardAuthHeaders {
  const text = (value ?? "").trim().toLowerCase() || "auto";
  const known = FORWARD_AUTH_HEADER_SETS.find((set) => set === text);
  if (!known) throw new ConfigError(`FORWARD_AUTH_HEADERS "${value}" must be auto, original (nginx: X-Original-*) or forwarded (Traefik, Caddy: X-Forwarded-*)`);
  return known;
}

/** The longest retention, and the longest pause between passes (a Node timer holds under 24.8 days). */
const MAX_RETENTION_SECONDS = 100 * 365 * 86_400;
const MAX_RETENTION_INTERVAL_SECONDS = 7 * 86_400;

/** A duration in the lifetime syntax, or "off" (or 0) for none — never "delete at once". */
function optionalLifeFrom(name: string, value: string | undefined, fallback: string, maxSeconds: number): number | null {
  const text = value?.trim() ?? "";
  if (text.toLowerCase() === "off" || text === "0") return null;
  const result = parseLifetime(text !== "" ? text : fallback, { maxSeconds });
  if (!result.ok) throw new ConfigError(`${name}: ${result.message} Or "off" to switch it off.`);
  return result.seconds;
}

function workersFrom(value: string | undefined): number {
  const text = (value ?? "").trim().toLowerCase();
  if (text === "") return 1;
  if (text === "auto") return os.availableParallelism();
  const workers = Number(text);
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw new ConfigError(`WORKERS "${value}" must be a number from 1 to 256, or auto`);
  return workers;
}

function maxTokensPerUserFrom(value: string | undefined): number {
  const text = (value ?? "").trim();
  if (text === "") return 10_000;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000_000) throw new ConfigError(`MAX_TOKENS_PER_USER "${value}" must be a whole number from 1 to 10000000`);
  return limit;
}

/** Reads the service's configuration from environment variables; throws ConfigError with a clear message. */
export function loadConfig(env: Env = process.env): Config {
  const adminUsername = env.ADMIN_USERNAME?.trim() || "admin";
  const jwtSecret = env.JWT_SECRET || undefined;
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError("JWT_SECRET must be at least 32 characters long (or leave it unset to generate one)");
  }
  const database = databaseFrom(env.DATABASE_URL);
  return {
    port: portFrom(env.PORT),
    host: env.HOST || "0.0.0.0",
    database,
    adminUsername,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    jwtSecret,
    maxTokenLifeSeconds: lifeFrom("MAX_TOKEN_LIFE", env.MAX_TOKEN_LIFE, "365 days"),
    maxTokensPerUser: maxTokensPerUserFrom(env.MAX_TOKENS_PER_USER),
    sessionLifeSeconds: lifeFrom("SESSION_LIFE", env.SESSION_LIFE, "7 days"),
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    forwardAuthHeaders: forwardAuthHeadersFrom(env.FORWARD_AUTH_HEADERS),
    secret: secretFrom(env, database),
    tokenAlg: algFrom(env.TOKEN_ALG),
    publicUrl: publicUrlFrom(env.PUBLIC_URL),
    keyRotationSeconds: env.KEY_ROTATION?.trim() ? lifeFrom("KEY_ROTATION", env.KEY_ROTATION, "") : null,
    keyPublishDelaySeconds: lifeFrom("KEY_PUBLISH_DELAY", env.KEY_PUBLISH_DELAY, "10 minutes"),
    usageFlushSeconds: lifeFrom("USAGE_FLUSH_INTERVAL", env.USAGE_FLUSH_INTERVAL, "1 minute"),
    retentionIntervalSeconds: optionalLifeFrom("RETENTION_INTERVAL", env.RETENTION_INTERVAL, "1 hour", MAX_RETENTION_INTERVAL_SECONDS),
    auditRetentionSeconds: optionalLifeFrom("AUDIT_RETENTION", env.AUDIT_RETENTION, "400 days", MAX_RETENTION_SECONDS),
    tokenRetentionSeconds: optionalLifeFrom("TOKEN_RETENTION", env.TOKEN_RETENTION, "90 days", MAX_RETENTION_SECONDS),
    workers: workersFrom(env.WORKERS),
    basicCacheSeconds: ["0", "off"].includes(env.BASIC_AUTH_CACHE?.trim().toLowerCase() ?? "")
      ? 0
      : lifeFrom("BASIC_AUTH_CACHE", env.BASIC_AUTH_CACHE, "2 minutes"),
    logPasswordHashes: env.LOG_PASSWORD_HASHES === "1",
    webhooks: webhookSettingsFrom(env, (message) => new ConfigError(message)),
    ops: opsSettingsFrom(env, (message) => new ConfigError(message)),
    feed: feedSettingsFrom(env, (message) => new ConfigError(message)),
    ...tokenShapeSettingsFrom(env, (message) => new ConfigError(message)),
  };
}
