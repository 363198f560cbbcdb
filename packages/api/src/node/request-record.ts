import type { IncomingMessage } from "node:http";

/**
 * What the request log and metrics say about a request beyond its method and status, filled in as
 * it is learned: the server makes it when the request arrives, and whichever handler finds out who
 * is calling says so here. Never a credential: ids only.
 */
export interface RequestRecord {
  /** X-Request-Id: the trusted proxy's, or made here. */
  id: string;
  /** A bounded name for the kind of path (see the server's route groups), never the path itself. */
  group: string;
  /** performance.now() when the request arrived. */
  started: number;
  userId: string | undefined;
  tokenId: string | undefined;
}

const RECORD = Symbol("tokensmith.requestRecord");
type Holder = IncomingMessage & { [RECORD]?: RequestRecord };

export function attachRecord(req: IncomingMessage, record: RequestRecord): void {
  (req as Holder)[RECORD] = record;
}

export function recordOf(req: IncomingMessage): RequestRecord | undefined {
  return (req as Holder)[RECORD];
}

/** Who made the request, once known (a user; the token too for a Bearer request). */
export function noteCaller(req: IncomingMessage, caller: { userId: string; token?: { id: string } | undefined } | null): void {
  const record = (req as Holder)[RECORD];
  if (record === undefined || caller === null) return;
  record.userId = caller.userId;
  record.tokenId = caller.token?.id;
}
