import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logRecords, startServer, testDatabase, type RunningServer } from "./support/server.js";

// A log nobody reads (a stalled pipe or collector) must not grow the server's memory with every
// request: past LOG_BUFFER_BYTES, request lines are dropped, and their number logged once it is read.
const REQUESTS = 1500;
const AGENT = "log-backpressure-test";
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "log-backpressure-password-1", LOG_BUFFER_BYTES: "65536" });
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe("a log that is not read", () => {
  it("drops lines past LOG_BUFFER_BYTES instead of holding them, keeps answering, and counts what it dropped", { timeout: 90_000 }, async () => {
    // Stop reading: the pipe (64 KiB) fills, then the server's buffer (64 KiB here).
    server.process.stdout!.pause();
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < REQUESTS) {
          next++;
          const res = await fetch(`${server.url}/v1alpha/token/`, { headers: { "user-agent": AGENT } });
          await res.arrayBuffer();
          statuses.push(res.status);
        }
      }),
    );
    expect(statuses).toHaveLength(REQUESTS);
    expect(new Set(statuses)).toEqual(new Set([401]));
    server.process.stdout!.resume();

    let warning: Record<string, unknown> | undefined;
    for (const deadline = Date.now() + 30_000; !warning && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      warning = logRecords(server.output()).find((r) => r.level === "warn" && typeof r.dropped_lines === "number");
    }
    expect(warning, "a warning that lines were dropped").toBeDefined();
    const dropped = warning!.dropped_lines as number;
    // The warning goes out as soon as the pipe drains; the last batch of lines may follow it (FLUSH_MS).
    const writtenLines = () => logRecords(server.output()).filter((r) => r.msg === "request" && r.user_agent === AGENT).length;
    for (const deadline = Date.now() + 5_000; writtenLines() + dropped < REQUESTS && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
    const written = writtenLines();
    // ~250 bytes a line: at most ~128 KiB of them could wait (the pipe and the buffer).
    expect(dropped).toBeGreaterThan(0);
    expect(written).toBeLessThan(REQUESTS);
    expect(written + dropped).toBe(REQUESTS);
  });

  it("refuses a LOG_BUFFER_BYTES it cannot use", async () => {
    for (const value of ["1024", "lots", "-1", "99999999999"]) {
      await expect(startServer({ DATABASE_URL: (await testDatabase()).url, LOG_BUFFER_BYTES: value })).rejects.toThrow(/LOG_BUFFER_BYTES .* must be a number of bytes from 65536/);
    }
  });
});
