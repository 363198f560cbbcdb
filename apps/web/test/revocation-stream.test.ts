import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, TEST_FEED_KEY, testDatabase, type RunningServer } from "./support/server.js";
import { follow, type SseFollower } from "./support/sse.js";

/** The revocation feed over Server-Sent Events: catch-up, live events, resume, heartbeats, and who may follow it. */
let server: RunningServer;
const ADMIN = basicAuth("admin", "admin-password-1");
const FEED = { authorization: `Bearer ${TEST_FEED_KEY}` };

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
});
afterAll(() => server?.stop());

async function token(life = "1 hour") {
  const res = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "f", jwt_token_life: life } });
  return res.body as { jwt_token: string; jwt_token_id: string; expires_at: string };
}
const revoke = (id: string) => request(`${server.url}/v1alpha/token/${id}`, { method: "DELETE", auth: ADMIN });
const feed = (headers: Record<string, string> = {}) => follow(`${server.url}/v1alpha/revocations`, { ...FEED, ...headers });
/** Events up to and including the `snapshot` that ends the catch-up. */
async function catchUp(stream: SseFollower) {
  const snapshot = await stream.next((e) => e.event === "snapshot");
  return { entries: stream.events.slice(0, stream.events.indexOf(snapshot)).filter((e) => e.event === "revoked"), snapshot };
}

describe("GET /v1alpha/revocations", () => {
  it("sends every revoked token as a `revoked` event, then a `snapshot` event, then each revocation as it happens", async () => {
    const earlier = await token();
    await revoke(earlier.jwt_token_id);
    const stream = await feed();
    const { entries, snapshot } = await catchUp(stream);
    expect(entries.map((e) => e.data)).toEqual([{ jti: earlier.jwt_token_id, at: expect.any(Number), exp: new Date(earlier.expires_at).getTime() }]);
    expect(snapshot.data).toEqual({ revoked: [], asOf: expect.any(Number) });
    expect(Number(snapshot.id)).toBe(Number(entries[0]!.id));
    const first = await stream.next((e) => e.event === "heartbeat");
    expect(first.data.seq).toBe(Number(snapshot.id));

    const live = await token();
    const started = performance.now();
    await revoke(live.jwt_token_id);
    const event = await stream.next((e) => e.event === "revoked" && e.data.jti === live.jwt_token_id);
    console.log(`revocation reached a follower ${(performance.now() - started).toFixed(1)} ms after the DELETE was sent`);
    expect(Number(event.id)).toBeGreaterThan(Number(snapshot.id));
    // Right behind what it covers: a follower knows at once that it is current again.
    const heartbeat = await stream.next((e) => e.event === "heartbeat", 3000);
    expect(heartbeat.data.seq).toBe(Number(event.id));
    expect(heartbeat.data.now - heartbeat.data.asOf).toBeLessThan(2000);
    stream.close();
  });

  it("with ?batch=1, sends the same entries up to 500 to a `revoked-batch` event", async () => {
    const single = await feed();
    const { entries, snapshot } = await catchUp(single);
    single.close();
    const batched = await follow(`${server.url}/v1alpha/revocations?batch=1`, FEED);
    const marker = await batched.next((e) => e.event === "snapshot");
    const batches = batched.events.slice(0, batched.events.indexOf(marker));
    expect(batches.map((e) => e.event)).toEqual(["revoked-batch"]);
    expect(batches[0]!.data).toEqual(entries.map((e) => e.data));
    expect(batches[0]!.id).toBe(entries.at(-1)!.id);
    expect(marker.id).toBe(snapshot.id);
    const live = await token();
    await revoke(live.jwt_token_id);
    const event = await batched.next((e) => e.event !== "heartbeat");
    expect(event).toMatchObject({ event: "revoked-batch", data: [{ jti: live.jwt_token_id }] });
    batched.close();
  });

  it("resumes after Last-Event-ID with only what came since", async () => {
    const first = await feed();
    const { snapshot } = await catchUp(first);
    first.close();
    const missed = await token();
    await revoke(missed.jwt_token_id);
    const resumed = await feed({ "last-event-id": snapshot.id! });
    const { entries } = await catchUp(resumed);
    expect(entries.map((e) => e.data.jti)).toEqual([missed.jwt_token_id]);
    resumed.close();
    // An id this server never gave (another database's) gets everything from the start.
    const foreign = await feed({ "last-event-id": "999999999" });
    expect((await catchUp(foreign)).entries.length).toBeGreaterThanOrEqual(3);
    foreign.close();
  });

  it("is served to feed key holders only: an outsider learns no token id, whatever credentials it brings", async () => {
    const revoked = await token();
    await revoke(revoked.jwt_token_id);
    const user = await token();
    const outsiders: Array<[string, Record<string, string>]> = [
      ["no credentials", {}],
      ["a wrong key", { authorization: "Bearer not-the-feed-key-0123456789abcdefghijkl" }],
      ["a user's token", { authorization: `Bearer ${user.jwt_token}` }],
      ["an admin's password", { authorization: ADMIN }],
      ["the key in another scheme", { authorization: `Basic ${TEST_FEED_KEY}` }],
    ];
    for (const [who, headers] of outsiders) {
      for (const method of ["GET", "HEAD"]) {
        const res = await request(`${server.url}/v1alpha/revocations`, { method, headers: { accept: "text/event-stream", ...headers } });
        expect(res.status, `${who} (${method})`).toBe(401);
        expect(res.headers.get("www-authenticate"), who).toMatch(/^Bearer realm="tokensmith-revocations"/);
        expect(res.text, who).not.toContain(revoked.jwt_token_id);
        expect(res.headers.get("content-type"), who).toMatch(/^application\/json/);
      }
    }
    const holder = await feed();
    expect((await catchUp(holder)).entries.map((e) => e.data.jti)).toContain(revoked.jwt_token_id);
    holder.close();
  });

  it("is closed to everyone on a server without feed keys, and says which setting opens it", async () => {
    const closed = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1", REVOCATION_FEED_KEYS: "" });
    try {
      const res = await request(`${closed.url}/v1alpha/revocations`, { headers: FEED });
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(/REVOCATION_FEED_KEYS/);
    } finally {
      await closed.stop();
    }
  });

  it("answers 405 with Allow for other methods", async () => {
    const res = await request(`${server.url}/v1alpha/revocations`, { method: "POST", body: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });
});
