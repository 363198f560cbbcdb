import { format } from "node:util";
import pino, { type Logger } from "pino";
import { prettyStream } from "./pretty.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ["json", "pretty"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggingOptions {
  level: LogLevel;
  /** Unset: pretty on a terminal, JSON anywhere else (a pipe, a file, a container's log). */
  format: LogFormat | undefined;
  /** 1 (stdout): the server's log. The CLI logs to 2, keeping its stdout for its answers. */
  fd: 1 | 2;
}

let options: LoggingOptions = { level: "info", format: undefined, fd: 1 };
let current: Logger | undefined;

/**
 * JSON lines are written asynchronously in batches, each write holding whole lines and at most
 * PIPE_BUF bytes: under WORKERS every process writes to the same pipe, and a write that size is
 * never interleaved with another process's. Request lines wait until ~3 KiB are buffered (or
 * FLUSH_MS passed): a write per request cost more CPU than the request itself. Every other record
 * is written at once (see `log`).
 */
const PIPE_BUF = 4096;
const BATCH_BYTES = 3072;
const FLUSH_MS = 250;

function build({ level, format, fd }: LoggingOptions): Logger {
  const pretty = (format ?? ((fd === 1 ? process.stdout : process.stderr).isTTY ? "pretty" : "json")) === "pretty";
  const destination = pretty
    ? prettyStream(fd)
    : pino.destination({ dest: fd, sync: false, maxWrite: PIPE_BUF, minLength: BATCH_BYTES, periodicFlush: FLUSH_MS });
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** The process's logger, made on first use with the options set by then. */
export function logger(): Logger {
  return (current ??= build(options));
}

/**
 * Sets the level, format and stream (LOG_LEVEL, LOG_FORMAT). Before anything was logged it only
 * records them; afterwards the level changes in place and a new format replaces the logger.
 */
export function configureLogging(next: Partial<LoggingOptions>): void {
  const changed = { ...options, ...next };
  const rebuild = current && (changed.format !== options.format || changed.fd !== options.fd);
  options = changed;
  if (rebuild) {
    current!.flush();
    current = build(options);
  } else if (current) current.level = options.level;
}

/**
 * What libraries print with console.* (Next.js prints as it loads, and its own errors) becomes a
 * record like any other, so the log stays one JSON line per record.
 */
export function routeConsoleToLog(): void {
  const route = (method: Method) => (...args: unknown[]) => log[method](format(...args));
  console.log = route("info");
  console.info = route("info");
  console.warn = route("warn");
  console.error = route("error");
  console.debug = route("debug");
}

/** Writes out what is buffered: before exiting. */
export function flushLogs(): void {
  current?.flush();
}

type Method = "fatal" | "error" | "warn" | "info" | "debug";
/** Written out at once: start-up lines, warnings and errors are rare, and tests and people wait for them. */
const forward =
  (method: Method): Logger[Method] =>
  (...args: Parameters<Logger[Method]>) => {
    const current = logger();
    (current[method] as (...a: unknown[]) => void)(...args);
    current.flush();
  };

/**
 * What the service logs through: `log.info("[tag] text")` or `log.error({ err }, "[tag] text")`.
 * Fields are JSON-escaped (JSON format) or escaped and quoted (pretty), so no value — a user agent,
 * a path — can start a line of its own.
 */
export const log = {
  fatal: forward("fatal"),
  error: forward("error"),
  warn: forward("warn"),
  info: forward("info"),
  debug: forward("debug"),
  isLevelEnabled: (level: LogLevel) => logger().isLevelEnabled(level),
  /**
   * At info whatever LOG_LEVEL says: what people, scripts and load balancers wait for at start
   * (where it listens, where metrics are, the one-time admin password, which nobody could use unseen).
   */
  announce: (message: string) => {
    logger().child({}, { level: "info" }).info(message);
    logger().flush();
  },
};
