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
  /** LOG_BUFFER_BYTES: how much may wait unwritten while the log is not read; past it, lines are dropped and counted. */
  bufferBytes: number;
  /**
   * Whether other processes write to the same output (WORKERS: the primary and its workers share
   * its stdout). Only then must each write stay within PIPE_BUF to be atomic.
   */
  sharedOutput: boolean;
}

export const DEFAULT_LOG_BUFFER_BYTES = 16 * 2 ** 20;
let options: LoggingOptions = { level: "info", format: undefined, fd: 1, bufferBytes: DEFAULT_LOG_BUFFER_BYTES, sharedOutput: false };
let current: Logger | undefined;

/**
 * JSON lines are written asynchronously in batches, each write holding whole lines; under WORKERS
 * every process writes to the same pipe, so each write there is at most PIPE_BUF bytes, a size
 * never interleaved with another process's. Request lines wait until ~3 KiB are buffered (or
 * FLUSH_MS passed): a write per request cost more CPU than the request itself. Every other record
 * is written at once (see `log`).
 */
const PIPE_BUF = 4096;
/**
 * A process alone on its output writes up to this much at once. sonic-boom keeps one write in
 * flight and starts the next from the last one's callback, seen once per turn of the event loop:
 * at PIPE_BUF a write, a busy server fell behind its own log with its reader idle. Measured
 * (BENCH_MEMORY load, heap snapshots): 12 MB of lines waiting at 20,000 tokens, the whole 16 MiB
 * of LOG_BUFFER_BYTES at 100,000 (lines then dropped), all of it promoted to old space first.
 */
const ALONE_MAX_WRITE = 64 * 1024;
const BATCH_BYTES = 3072;
const FLUSH_MS = 250;

interface LineSink {
  write(line: string): void;
  flush(callback?: (error?: Error) => void): void;
  /** Calls back once every line handed over has been written. */
  whenWritten(callback: () => void): void;
}

/**
 * Whole lines gathered into writes of at most PIPE_BUF bytes, each line's byte length measured
 * once. (sonic-boom's own buffering measures the whole pending chunk again on every write: at a
 * line per request that cost as much as serializing the line.)
 */
function batchedLines(fd: 1 | 2, bufferBytes: number, sharedOutput: boolean): LineSink {
  // Bounded: a log nobody reads (a stalled pipe or collector) must not grow the server's memory
  // with every request. Lines past the bound are dropped, and counted in a warning once it is read.
  const maxWrite = sharedOutput ? PIPE_BUF : ALONE_MAX_WRITE;
  const out = pino.destination({ dest: fd, sync: false, maxWrite, minLength: 0, maxLength: bufferBytes });
  let dropped = 0;
  out.on("drop", (data: string) => {
    for (let at = data.indexOf("\n"); at !== -1; at = data.indexOf("\n", at + 1)) dropped++;
  });
  out.on("drain", () => {
    if (dropped === 0) return;
    const lines = dropped;
    dropped = 0;
    out.write(`{"level":"warn"${isoTime()},"pid":${process.pid},"dropped_lines":${lines},"msg":"[log] ${lines} log line(s) dropped: the log was not read as fast as it was written (LOG_BUFFER_BYTES)"}\n`);
  });
  let lines: string[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const drain = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (lines.length === 0) return;
    out.write(lines.length === 1 ? lines[0]! : lines.join(""));
    lines = [];
    bytes = 0;
  };
  // Before pino's own exit hooks flush `out` (registered with it above): lines still gathered here
  // go into it first.
  process.prependListener("beforeExit", drain);
  process.prependListener("exit", drain);
  return {
    write(line) {
      const size = Buffer.byteLength(line);
      if (bytes + size > PIPE_BUF) drain();
      lines.push(line);
      bytes += size;
      if (bytes >= BATCH_BYTES) drain();
      else timer ??= setTimeout(drain, FLUSH_MS).unref();
    },
    flush(callback) {
      drain();
      out.flush(callback);
    },
    whenWritten(callback) {
      drain();
      // sonic-boom's flush() calls back at once when minLength is 0, a write still in flight, and
      // the flushSync of pino's exit hook then writes the lines after it first (sonic-boom#101: a
      // port-in-use fatal line came out before the start-up line logged ahead of it). Its
      // `_writing` has no public getter; 'drain' follows the last write.
      if ((out as unknown as { _writing?: boolean })._writing === true) out.once("drain", callback);
      else callback();
    },
  };
}

/** pino's isoTime, made once a millisecond: many lines share one under load. */
let isoMillis = NaN;
let isoField = "";
function isoTime(): string {
  const now = Date.now();
  if (now !== isoMillis) {
    isoMillis = now;
    isoField = `,"time":"${new Date(now).toISOString()}"`;
  }
  return isoField;
}

/** Where JSON lines go when the format is JSON (request lines are written to it directly). */
let sink: LineSink | undefined;

function build({ level, format, fd, bufferBytes, sharedOutput }: LoggingOptions): Logger {
  const pretty = (format ?? ((fd === 1 ? process.stdout : process.stderr).isTTY ? "pretty" : "json")) === "pretty";
  sink = pretty ? undefined : batchedLines(fd, bufferBytes, sharedOutput);
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    sink ?? prettyStream(fd),
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
  const rebuild = current && (changed.format !== options.format || changed.fd !== options.fd || changed.bufferBytes !== options.bufferBytes || changed.sharedOutput !== options.sharedOutput);
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

/**
 * One request line: what `logger()[level](fields, "request")` writes, the same fields in the same
 * order, serialized in one JSON.stringify (pino walks the fields one by one: a third more CPU per
 * request). Fields are values the request log chose; JSON.stringify escapes every string.
 */
export function logRequestLine(level: "info" | "debug", fields: Record<string, string | number | undefined>): void {
  const current = logger();
  if (!current.isLevelEnabled(level)) return;
  if (!sink) return void current[level](fields, "request");
  const body = JSON.stringify(fields);
  sink.write(`{"level":"${level}"${isoTime()},"pid":${process.pid}${body.length > 2 ? "," : ""}${body.slice(1, -1)},"msg":"request"}\n`);
}

/**
 * Writes out what is buffered, and resolves once it is written, or after `timeoutMs` (a log
 * nobody reads must not hold an exit). Await it before process.exit: lines still being written
 * asynchronously would be overtaken by those the exit hook writes synchronously.
 */
export function flushLogs(timeoutMs = 2000): Promise<void> {
  current?.flush();
  const lines = sink;
  if (!lines) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    lines.whenWritten(() => {
      clearTimeout(timer);
      resolve();
    });
  });
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
