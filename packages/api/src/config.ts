import { parseLifetime } from "@tokensmith/core";
import { databaseFileFromUrl } from "@tokensmith/db";

export interface Config {
  port: number;
  host: string;
  databaseFile: string;
  adminUsername: string;
  /** Only used when no user exists yet: the first admin's password. */
  adminPassword: string | undefined;
  /** When unset, a secret is generated on first start and kept in the database. */
  jwtSecret: string | undefined;
  maxTokenLifeSeconds: number;
  sessionLifeSeconds: number;
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
    databaseFile: databaseFileFromUrl(env.DATABASE_URL || undefined),
    adminUsername,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    jwtSecret,
    maxTokenLifeSeconds: lifeFrom("MAX_TOKEN_LIFE", env.MAX_TOKEN_LIFE, "365 days"),
    sessionLifeSeconds: lifeFrom("SESSION_LIFE", env.SESSION_LIFE, "7 days"),
  };
}
