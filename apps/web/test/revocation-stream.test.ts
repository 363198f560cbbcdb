import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { follow } from "./support/sse.js";

/** The revocation feed over Server-Sent Events: snapshot, live events, resume, heartbeats. */
let server: RunningServer;
const ADMIN = basicAuth("admin", "admin-password-1");

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
});
afterAll(() => server?.stop());

async function token(life = "1 hour") {
  const res = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "f", jwt_token_life: life } });
  return res.body as { jwt_token_id: string; expires_at: string };
}
const revoke = (id: string) => request(`${server.url}/v1alpha/token/${id}`, { method: "DELETE", auth: ADMIN });

describe("GET /v1alpha/revocations", () => {
  it("starts with a snapshot, then sends each revocation as it happens", async () => {
    const earlier = await token();
    await revoke(earlier.jwt_token_id);
    const stream = await follow(`${server.url}/v1alpha/revocations`);
    const snapshot = await stream.next((e) => e.event === "snapshot");
    expect(snapshot.data.revoked).toEqual([{ jti: earlier.jwt_token_id, at: expect.any(Number), exp: new Date(earlier.expires_at).getTime() }]);
    expect(Number(snapshot.id)).toBeGreaterThan(0);

    const live = await token();
    const started = performance.now();
    await revoke(live.jwt_token_id);
    const event = await stream.next((e) => e.event === "revoked" && e.data.jti === live.jwt_token_id);
    console.log(`revocation reached a follower ${(performance.now() - started).toFixed(1)} ms after the DELETE was sent`);
    expect(Number(event.id)).toBeGreaterThan(Number(snapshot.id));
    const heartbeat = await stream.next((e) => e.event === "heartbeat", 3000);
    expect(heartbeat.data.seq).toBe(Number(event.id));
    expect(heartbeat.data.now - heartbeat.data.asOf).toBeLessThan(2000);
    stream.close();
  });

  it("resumes after Last-Event-ID with only what came since", async () => {
    const first = await follow(`${server.url}/v1alpha/revocations`);
    const { id } = await first.next((e) => e.event === "snapshot");
    first.close();
    const missed = await token();
    await revoke(missed.jwt_token_id);
    const resumed = await follow(`${server.url}/v1alpha/revocations`, { "last-event-id": id! });
    const event = await resumed.next((e) => e.event === "revoked" || e.event === "snapshot");
    expect(event).toMatchObject({ event: "revoked", data: { jti: missed.jwt_token_id } });
    resumed.close();
    // An id this server never gave (another database's) gets a fresh snapshot.
    const foreign = await follow(`${server.url}/v1alpha/revocations`, { "last-event-id": "999999999" });
    expect((await foreign.next((e) => e.event === "revoked" || e.event === "snapshot")).event).toBe("snapshot");
    foreign.close();
  });

  it("answers 405 with Allow for other methods", async () => {
    const res = await request(`${server.url}/v1alpha/revocations`, { method: "POST", body: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });
});
