/**
 * A Server-Sent Events parser (the WHATWG "event stream interpretation"), fed the bytes of a
 * fetch response body. Small on purpose: the feed needs `event`, `data`, `id` and `retry`, and an
 * EventSource polyfill would bring a dependency and hide the connection we must watch.
 */
export interface SseMessage {
  event: string;
  data: string;
  /** The last event id in force after this message (ids persist until changed, as in EventSource). */
  lastEventId: string | undefined;
}

/** One line longer than this means the peer is not an event stream we can use. */
const MAX_LINE_LENGTH = 1 << 24;

export class SseParser {
  private readonly decoder = new TextDecoder("utf-8");
  private buffer = "";
  private event = "";
  private data: string[] = [];
  private lastEventId: string | undefined;
  /** Milliseconds the server asked clients to wait before reconnecting (`retry:`). */
  retry: number | undefined;

  constructor(
    private readonly onMessage: (message: SseMessage) => void,
    lastEventId?: string,
  ) {
    this.lastEventId = lastEventId;
  }

  push(chunk: Uint8Array): void {
    const text = this.buffer + this.decoder.decode(chunk, { stream: true });
    // Lines end in LF alone (Tokensmith's, and most servers'), found with indexOf; CR is looked at
    // char by char only when there is one (a snapshot is ~400,000 lines).
    const onlyLf = !text.includes("\r");
    let start = 0;
    for (;;) {
      const end = onlyLf ? text.indexOf("\n", start) : lineEnd(text, start);
      if (end === -1) break;
      this.line(text.slice(start, end));
      // CRLF is one line end; a lone CR or LF is one too.
      start = text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
    }
    // A CR at the very end may be the first half of a CRLF: keep it until the next chunk.
    this.buffer = text.slice(start);
    if (this.buffer.length > MAX_LINE_LENGTH) throw new Error("event stream line too long");
  }

  private line(line: string): void {
    if (line === "") return this.dispatch();
    if (line.charCodeAt(0) === 58 /* : comment */) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    else if (field === "id" && !value.includes("\0")) this.lastEventId = value;
    else if (field === "retry" && /^\d+$/.test(value)) this.retry = Number(value);
  }

  private dispatch(): void {
    if (this.data.length === 0) {
      this.event = "";
      return;
    }
    const message = { event: this.event || "message", data: this.data.join("\n"), lastEventId: this.lastEventId };
    this.event = "";
    this.data = [];
    this.onMessage(message);
  }
}

/** Index of the next CR or LF at or after `from`, or -1; a CR last in the buffer waits for more. */
function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 10) return i;
    if (char === 13) return i + 1 < text.length ? i : -1;
  }
  return -1;
}
