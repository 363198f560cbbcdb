import type { IncomingMessage, ServerResponse } from "node:http";
import type { RevocationEvent, RevocationHub } from "../revocations/hub.js";
import { FEED_ACCESS_MESSAGES, feedAccess } from "../revocations/feed-access.js";
import { limitAddress } from "../auth/address.js";
import { requestMeta } from "../node/request.js";
import { sendJson } from "./http.js";

export const REVOCATIONS_PATH = "/v1alpha/revocations";
const HEARTBEAT_MS = 1000;
/** Entries per write (~40–60 KB): large enough for few system calls, small enough to hold per follower. */
const ENTRIES_PER_WRITE = 500;
/** A follower whose socket has taken nothing for this long is dropped (it reconnects and resumes). */
const STALLED_MS = 30_000;

const frame = (event: string, data: unknown, id?: number) =>
  `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Each entry's JSON is the same for every follower: written once, kept as long as the entry.
 * A pause or a resume is shaped as a revocation (`jti`, `at`, `exp`) with `kind` and its `seq`
 * added: a verifier that knows neither field takes both for revocations and refuses the token
 * until it expires (closed, never open); one that knows them applies each in `seq` order.
 */
const entryTexts = new WeakMap<RevocationEvent, string>();
function entryText(e: RevocationEvent): string {
  let text = entryTexts.get(e);
  if (text === undefined) {
    text = JSON.stringify(e.kind === "revoke" ? { jti: e.jti, at: e.at, exp: e.exp } : { jti: e.jti, at: e.at, exp: e.exp, kind: e.kind, seq: e.seq });
    entryTexts.set(e, text);
  }
  return text;
}

/**
 * Entries as a follower asked for them. `revoked`, one event each, is what every verifier
 * understands; `revoked-batch` (asked for with ?batch=1, as @tokensmith/verify does) carries up to
 * 500 in one array, a fraction of the parsing for a verifier catching up on 100,000.
 */
const entryFrames = {
  single: (batch: readonly RevocationEvent[]) => batch.map((e) => `id: ${e.seq}\nevent: revoked\ndata: ${entryText(e)}\n\n`).join(""),
  batch: (batch: readonly RevocationEvent[]) => `id: ${batch[batch.length - 1]!.seq}\nevent: revoked-batch\ndata: [${batch.map(entryText).join(",")}]\n\n`,
};
type EntryFormat = keyof typeof entryFrames;

/**
 * One connected follower: a position in the hub's log, and the entries after it written as fast
 * as the socket takes them — never queued in memory beyond one write. A follower that falls
 * behind (a burst, a slow reader) is simply further back in the log, and catches up when it reads.
 */
class Follower {
  private stalledSince: number | null = null;
  private caughtUpOnce = false;
  private closed = false;

  constructor(
    private readonly hub: RevocationHub,
    private readonly res: ServerResponse,
    private position: number,
    private readonly format: EntryFormat,
  ) {
    res.on("drain", () => {
      this.stalledSince = null;
      this.pump();
    });
  }

  /** Writes what the follower lacks; once current, says so (a snapshot marker the first time, then a heartbeat). */
  pump(): void {
    if (this.closed || this.stalledSince !== null) return;
    let wrote = false;
    for (;;) {
      const batch = this.hub.after(this.position, ENTRIES_PER_WRITE);
      if (batch.length === 0) break;
      this.position = batch[batch.length - 1]!.seq;
      wrote = true;
      if (!this.res.write(entryFrames[this.format](batch))) return void (this.stalledSince = Date.now());
    }
    // Current: everything up to lastSeq is written (what lies between and is not held has expired).
    this.position = this.hub.lastSeq;
    if (!this.caughtUpOnce) {
      this.caughtUpOnce = true;
      // The end of a new follower's catch-up. Its list is empty: the entries came before it, in
      // events a verifier of any release merges. Sent after a resume too, harmlessly.
      this.write(frame("snapshot", { revoked: [], asOf: this.hub.asOf }, this.position));
      wrote = true;
    }
    if (wrote) this.heartbeat();
  }

  /** Every second: a heartbeat if current, or a check that a stalled socket is still taking data. */
  tick(): void {
    if (this.closed) return;
    if (this.stalledSince !== null) {
      if (Date.now() - this.stalledSince > STALLED_MS) this.res.destroy();
      return;
    }
    if (this.hub.after(this.position, 1).length > 0) return this.pump();
    this.heartbeat();
  }

  close(): void {
    this.closed = true;
  }

  /**
   * Sent only when the follower is current: `seq` says up to where, `asOf` how current this
   * instance's copy is, `now` this server's clock (verifiers compare `at` with it, not their own).
   */
  private heartbeat(): void {
    this.write(frame("heartbeat", { seq: this.position, now: Date.now(), asOf: this.hub.asOf }));
  }

  private write(text: string): void {
    if (!this.res.write(text)) this.stalledSince = Date.now();
  }
}

/**
 * GET /v1alpha/revocations — Server-Sent Events for offline verifiers holding a feed key: every
 * revoked-but-unexpired token as a `revoked` event (or, with ?batch=1, in `revoked-batch` events),
 * in sequence order, from the start (or, with Last-Event-ID, from after that event); then a
 * `snapshot` event saying the follower is current, and from there on each revocation as it
 * happens, with a heartbeat every second saying how current this instance's copy is (`asOf`).
 * Bursts of any size are written as the follower reads.
 */
export function createRevocationStream(hub: RevocationHub, options: { keyDigests: readonly string[]; trustProxy: number }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return sendJson(res, 405, { message: `Method ${req.method} not allowed here; use GET` }, { Allow: "GET, HEAD" });
    }
    // Before a slot is taken: a caller without a key holds nothing, and learns nothing.
    const access = feedAccess(options.keyDigests, req.headers.authorization);
    if (access !== "granted") {
      const challenge = access === "wrong_key" ? 'Bearer realm="tokensmith-revocations", error="invalid_token"' : 'Bearer realm="tokensmith-revocations"';
      return sendJson(res, 401, { message: FEED_ACCESS_MESSAGES[access] }, { "WWW-Authenticate": challenge });
    }
    const release = hub.followers.take(limitAddress(requestMeta(req, options.trustProxy).ip));
    if (release === "full") return sendJson(res, 503, { message: "Too many followers right now; try again shortly" }, { "Retry-After": "5" });
    if (release === "address_full") {
      return sendJson(res, 429, { message: `Too many followers from this address (at most ${hub.followers.perAddress}); try again shortly` }, { "Retry-After": "5" });
    }
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      // nginx would otherwise buffer the stream.
      "X-Accel-Buffering": "no",
    });
    if (req.method === "HEAD") {
      release();
      return void res.end();
    }
    const lastEventId = req.headers["last-event-id"];
    const resumeAfter = typeof lastEventId === "string" && /^\d{1,15}$/.test(lastEventId.trim()) ? Number(lastEventId) : 0;
    const query = req.url?.includes("?") ? req.url.slice(req.url.indexOf("?") + 1) : "";
    const batched = new URLSearchParams(query).get("batch") === "1";
    const follower = new Follower(hub, res, hub.knows(resumeAfter) ? resumeAfter : 0, batched ? "batch" : "single");
    res.write("retry: 1000\n\n");
    const unsubscribe = hub.subscribe(() => follower.pump());
    const heartbeat = setInterval(() => follower.tick(), HEARTBEAT_MS);
    res.on("close", () => {
      follower.close();
      release();
      clearInterval(heartbeat);
      unsubscribe();
    });
    follower.pump();
  };
}
