import { parseLifetime } from "@tokensmith/core";
import { DatabaseUrlError, parseDatabaseUrl, type DatabaseTarget } from "@tokensmith/db";

export interface Config {
  port: number;
  host: string;
  /** SQLite file or PostgreSQL URL, from DATABASE_URL. */
  database: DatabaseTarget;
  adminUsername: string;
  /** Only used when no user exists yet: the first admin's password. */
  adminPassword: string | undefined;
  /** When unset, a secret is generated on first start and kept in the database. */
  jwtSecret: string | undefined;
  maxTokenLifeSeconds: number;
  sessionLifeSeconds: number;
  /**
   * How many reverse proxies stand in front (0: none). Only then do X-Forwarded-For, -Proto and
   * -Host count: the client address is the entry that many hops from the right.
   */
  trustProxy: number;
}

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

/** Reads the service's configuration from environment variables; throws ConfigError with a clear message. */
export function loadConfig(env: Env = process.env): Config {
  const adminUsername = env.ADMIN_USERNAME?.trim() || "admin";
  const jwtSecret = env.JWT_SECRET || undefined;
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError("JWT_SECRET must be at least 32 characters long (or leave it unset to generate one)");
  }
  return {
    port: portFrom(env.PORT),
    host: env.HOST || "0.0.0.0",
    database: databaseFrom(env.DATABASE_URL),
    adminUsername,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    jwtSecret,
    maxTokenLifeSeconds: lifeFrom("MAX_TOKEN_LIFE", env.MAX_TOKEN_LIFE, "365 days"),
    sessionLifeSeconds: lifeFrom("SESSION_LIFE", env.SESSION_LIFE, "7 days"),
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
  };
}
