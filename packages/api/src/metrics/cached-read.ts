/** How long a scrape waits for a fresh read before answering with the last one. */
const WAIT_MS = 2000;

/**
 * A read that goes to the database at most once per `everyMs`, however often it is asked for:
 * callers in between get the last value, and concurrent callers share one read. A read that fails
 * or is slow leaves the last value in place (undefined before the first success).
 */
export class CachedRead<T> {
  private value: T | undefined;
  private readAt = -Infinity;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly everyMs: number,
  ) {}

  async get(): Promise<T | undefined> {
    if (performance.now() - this.readAt >= this.everyMs && !this.reading) {
      this.readAt = performance.now();
      this.reading = this.read().then(
        (value) => void (this.value = value),
        () => {},
      ).finally(() => (this.reading = null));
    }
    if (this.reading) await Promise.race([this.reading, new Promise((resolve) => setTimeout(resolve, WAIT_MS).unref())]);
    return this.value;
  }
}
