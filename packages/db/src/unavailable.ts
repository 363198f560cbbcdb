/**
 * Whether an error means "the database cannot be reached or is busy right now" — a 503 to retry
 * later — rather than a fault in a query. Covers the pg driver, Prisma over either adapter, and
 * better-sqlite3; walks `cause` chains and Prisma's wrapped driver-adapter errors.
 */
// P2024: no pooled connection in time; P2028: a transaction could not start in time (or ran past its limit).
const UNREACHABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);
const UNREACHABLE_MESSAGES = ["Connection terminated", "timeout exceeded when trying to connect", "Client has encountered a connection error", "Connection terminated unexpectedly"];

/** SQLSTATE classes: 08 connection exception, 57P operator intervention (shutdown), 53 out of resources. */
const isUnavailableSqlState = (code: string) => code.startsWith("08") || code.startsWith("57P") || code.startsWith("53");

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== "object" || depth > 6) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  const code = typeof e.code === "string" ? e.code : "";
  if (UNREACHABLE_PRISMA_CODES.has(code) || NETWORK_CODES.has(code)) return true;
  if (/^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code)) return true;
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") return true;
  const kind = (e.cause as { kind?: unknown } | undefined)?.kind;
  if (kind === "DatabaseNotReachable" || kind === "SocketTimeout" || kind === "TooManyConnections" || kind === "SocketError") return true;
  const message = typeof e.message === "string" ? e.message : "";
  if (UNREACHABLE_MESSAGES.some((text) => message.includes(text))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1);
}
