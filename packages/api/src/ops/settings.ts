import { DEFAULT_TOKEN_CACHE_ENTRIES, parseLifetime } from "@tokensmith/core";
import { DEFAULT_LOG_BUFFER_BYTES, LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from "../log/logger.js";

/** Running it as a service: logs, metrics, shutdown. */
export interface OpsSettings {
  /** LOG_LEVEL: info by default; warn and above drop the per-request lines. */
  logLevel: LogLevel;
  /** LOG_FORMAT: undefined picks pretty on a terminal, JSON elsewhere. */
  logFormat: LogFormat | undefined;
  /** LOG_BUFFER_BYTES: the log lines that may wait unwritten (16 MiB); past it they are dropped and counted. */
  logBufferBytes: number;
  /** METRICS_PORT (and METRICS_HOST, loopback by default): where /metrics is served; null: nowhere. */
  metrics: { port: number; host: string } | null;
  /** SHUTDOWN_TIMEOUT: how long SIGTERM waits for requests in flight before closing their connections. */
  shutdownTimeoutMs: number;
  /** TOKEN_CACHE_ENTRIES: how many tokens each per-token cache holds (verified tokens, token rows): memory against CPU. */
  tokenCacheEntries: number;
}

type Env = Record<string, string | undefined>;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], report: (message: string) => Error): T | undefined {
  const text = value?.trim().toLowerCase() ?? "";
  if (text === "") return undefined;
  if (!(allowed as readonly string[]).includes(text)) throw report(`${name} "${value}" must be one of ${allowed.join(", ")}`);
  return text as T;
}

function logBufferFrom(env: Env, report: (message: string) => Error): number {
  const text = env.LOG_BUFFER_BYTES?.trim() ?? "";
  if (text === "") return DEFAULT_LOG_BUFFER_BYTES;
  const bytes = Number(text);
  if (!/^\d+$/.test(text) || bytes < 65_536 || bytes > 2 ** 30) throw report(`LOG_BUFFER_BYTES "${env.LOG_BUFFER_BYTES}" must be a number of bytes from 65536 to 1073741824`);
  return bytes;
}

/** Fewer than this and a handful of clients evict each other; more than this is gigabytes of heap. */
const TOKEN_CACHE_ENTRIES_RANGE = { min: 100, max: 10_000_000 } as const;

function tokenCacheFrom(env: Env, report: (message: string) => Error): number {
  const text = env.TOKEN_CACHE_ENTRIES?.trim() ?? "";
  if (text === "") return DEFAULT_TOKEN_CACHE_ENTRIES;
  const entries = Number(text);
  const { min, max } = TOKEN_CACHE_ENTRIES_RANGE;
  if (!/^\d+$/.test(text) || entries < min || entries > max) throw report(`TOKEN_CACHE_ENTRIES "${env.TOKEN_CACHE_ENTRIES}" must be a whole number from ${min} to ${max}`);
  return entries;
}

function metricsFrom(env: Env, report: (message: string) => Error): OpsSettings["metrics"] {
  const text = env.METRICS_PORT?.trim() ?? "";
  if (text === "" || text.toLowerCase() === "off") return null;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw report(`METRICS_PORT "${env.METRICS_PORT}" is not a port number (or "off")`);
  return { port, host: env.METRICS_HOST?.trim() || "127.0.0.1" };
}

/** Reads LOG_*, METRICS_*, SHUTDOWN_TIMEOUT and TOKEN_CACHE_ENTRIES; `report` makes the error the caller throws for a bad one. */
export function opsSettingsFrom(env: Env, report: (message: string) => Error): OpsSettings {
  const timeout = parseLifetime(env.SHUTDOWN_TIMEOUT?.trim() || "25 seconds", { maxSeconds: 3600 });
  if (!timeout.ok) throw report(`SHUTDOWN_TIMEOUT: ${timeout.message}`);
  return {
    logLevel: oneOf("LOG_LEVEL", env.LOG_LEVEL, LOG_LEVELS, report) ?? "info",
    logFormat: oneOf("LOG_FORMAT", env.LOG_FORMAT, LOG_FORMATS, report),
    logBufferBytes: logBufferFrom(env, report),
    metrics: metricsFrom(env, report),
    shutdownTimeoutMs: timeout.seconds * 1000,
    tokenCacheEntries: tokenCacheFrom(env, report),
  };
}
