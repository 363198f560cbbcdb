/** A minimal Server-Sent Events reader for tests: collects events from a fetch stream. */
export interface SseEvent {
  event: string;
  id: string | undefined;
  data: any;
}

export interface SseFollower {
  events: SseEvent[];
  /** The first matching event after the last one `next` returned (received already, or to come). */
  next(match: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function follow(url: string, headers: Record<string, string> = {}): Promise<SseFollower> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let cursor = 0;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(block.split("\n").filter((l) => l && !l.startsWith(":")).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trimStart()]));
          if (!fields.event && !fields.data) continue;
          events.push({ event: fields.event ?? "message", id: fields.id, data: fields.data ? JSON.parse(fields.data) : undefined });
          for (const wake of waiters) wake();
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    events,
    next(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const seen = cursor;
        const check = () => {
          const index = events.findIndex((event, i) => i >= seen && match(event));
          if (index !== -1) {
            cursor = index + 1;
            waiters.delete(check);
            clearTimeout(timer);
            resolve(events[index]!);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.slice(seen).map((e) => e.event))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
