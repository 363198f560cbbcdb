import type { IncomingMessage, ServerResponse } from "node:http";
import type { RevocationEvent, RevocationHub } from "../revocations/hub.js";
import { sendJson } from "./http.js";

export const REVOCATIONS_PATH = "/v1alpha/revocations";
/** Followers at once; each holds a connection open. Past this: 503, try again. */
const MAX_FOLLOWERS = 1000;
/** A follower that stops reading is dropped past this much unsent data (it reconnects and resumes). */
const MAX_BUFFERED_BYTES = 1 << 20;
const HEARTBEAT_MS = 1000;

const frame = (event: string, data: unknown, id?: number) =>
  `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const revoked = (e: RevocationEvent) => frame("revoked", { jti: e.jti, at: e.at, exp: e.exp }, e.seq);

/**
 * GET /v1alpha/revocations — Server-Sent Events for offline verifiers: a snapshot of every
 * revoked-but-unexpired token first (or, with Last-Event-ID, only what came after it), then each
 * revocation as it happens, and a heartbeat every second saying how current this instance's copy
 * is (`asOf`). Public, like the key set: it names token ids, never tokens.
 */
export function createRevocationStream(hub: RevocationHub) {
  let followers = 0;
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return sendJson(res, 405, { message: `Method ${req.method} not allowed here; use GET` }, { Allow: "GET, HEAD" });
    }
    if (followers >= MAX_FOLLOWERS) return sendJson(res, 503, { message: "Too many followers right now; try again shortly" }, { "Retry-After": "5" });
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      // nginx would otherwise buffer the stream.
      "X-Accel-Buffering": "no",
    });
    if (req.method === "HEAD") return void res.end();
    followers++;
    const send = (text: string) => {
      if (res.writableLength > MAX_BUFFERED_BYTES) return void res.destroy();
      res.write(text);
    };
    const lastEventId = Number(req.headers["last-event-id"]);
    const resumed = req.headers["last-event-id"] !== undefined ? hub.since(lastEventId) : null;
    send("retry: 1000\n\n");
    if (resumed) for (const event of resumed) send(revoked(event));
    else send(frame("snapshot", { revoked: hub.snapshot().map((e) => ({ jti: e.jti, at: e.at, exp: e.exp })), asOf: hub.asOf }, hub.lastSeq));
    const unsubscribe = hub.subscribe((event) => send(revoked(event)));
    const heartbeat = setInterval(() => send(frame("heartbeat", { seq: hub.lastSeq, now: Date.now(), asOf: hub.asOf })), HEARTBEAT_MS);
    send(frame("heartbeat", { seq: hub.lastSeq, now: Date.now(), asOf: hub.asOf }));
    res.on("close", () => {
      followers--;
      clearInterval(heartbeat);
      unsubscribe();
    });
  };
}
