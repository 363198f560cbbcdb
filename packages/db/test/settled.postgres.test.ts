import net from "node:net";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";
import { openDatabase, type OpenedDatabase } from "../src/index.js";

/**
 * A TCP relay to PostgreSQL that holds everything the server sends for `delay.ms` (0 while the
 * instance starts, as its start takes many round trips): an instance behind it hears each
 * notification that much later than one connected directly, as a loaded or distant instance does.
 */
async function slowRelay(target: URL, delay: { ms: number }): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => setTimeout(() => client.writable && client.write(chunk), delay.ms));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", () => setTimeout(end, delay.ms)).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let database: TestDatabase;
let relay: Awaited<ReturnType<typeof slowRelay>>;
let slow: OpenedDatabase;
let fast: OpenedDatabase;
const delay = { ms: 0 };
beforeEach(async () => {
  database = await createTestDatabase("postgres");
  const url = new URL(database.url);
  delay.ms = 0;
  relay = await slowRelay(url, delay);
  const viaRelay = new URL(database.url);
  viaRelay.hostname = "127.0.0.1";
  viaRelay.port = String(relay.port);
  slow = await openDatabase(viaRelay.toString());
  fast = await openDatabase(database.url);
});
afterEach(async () => {
  await fast?.close();
  await slow?.close();
  await relay?.close();
  await database?.drop();
});

it("a revoke or a pause is answered only once an instance that hears 300 ms late has dropped the row: its very next read is refused", async () => {
  const userId = (await fast.db.user.create({ data: { username: "alice", passwordHash: "x" } })).id;
  const ids = [crypto.randomUUID(), crypto.randomUUID()];
  for (const id of ids) {
    await fast.db.accessToken.create({
      data: { id, userId, description: "d", lifeSeconds: 60, tokenHash: `h-${id}`, createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) },
    });
    // Cached on the slow instance (its change feed is live, so the row stays).
    expect(await slow.tokens.activeToken(id, userId)).toBeDefined();
    expect(await slow.tokens.activeToken(id, userId)).toBeDefined();
  }
  expect(slow.cacheLive()).toBe(true);
  // From here the slow instance hears everything 300 ms late (its heartbeat allows 3 s).
  delay.ms = 300;

  const started = performance.now();
  const { ended } = await fast.tokenWriter.endLineage({ ids: [ids[0]!], owner: null, at: Date.now() });
  const waited = performance.now() - started;
  expect(ended).toEqual([ids[0]]);
  // No pause: the answer itself waited for the slow instance's acknowledgement.
  expect(await slow.tokens.activeToken(ids[0]!, userId)).toBeUndefined();
  expect(waited).toBeGreaterThanOrEqual(300);

  const paused = await fast.tokenWriter.setPaused({
    id: ids[1]!, owner: null, change: "pause", now: Date.now(), maxPauses: 10,
    audit: (token) => ({ action: "token.paused", userId, username: "alice", tokenId: token.id, ip: null, userAgent: null, detail: null }),
    events: () => [],
  });
  expect(paused.ok).toBe(true);
  expect((await slow.tokens.authRecord(ids[1]!))?.pausedAt).not.toBeNull();
});

it("settled() after a user's grant is taken back: an instance that hears 300 ms late reads the row again on its very next request", async () => {
  const userId = (await fast.db.user.create({ data: { username: "rs", passwordHash: "x", introspectAny: true } })).id;
  const id = crypto.randomUUID();
  await fast.db.accessToken.create({ data: { id, userId, description: "d", lifeSeconds: 60, tokenHash: `h-${id}`, createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) } });
  expect((await slow.tokens.authRecord(id))?.introspectAny).toBe(true);
  expect((await slow.tokens.authRecord(id))?.introspectAny).toBe(true);
  delay.ms = 300;
  await fast.db.user.update({ where: { id: userId }, data: { introspectAny: false } });
  await fast.tokens.settled();
  expect((await slow.tokens.authRecord(id))?.introspectAny).toBe(false);
});
