import { afterAll, expect, it } from "vitest";
import { startNginx, type Nginx } from "@tokensmith/testkit";
import { createVerifier, type FeedEvent } from "../src/index.js";
import { FEED_KEY, Tokensmith } from "./support/tokensmith.js";

/**
 * Two instances on one database behind nginx; the verifier follows the feed through nginx. SIGTERM
 * to the instance it follows ends the stream cleanly (the instance does not wait for it, and exits
 * 0): the verifier reconnects, nginx sends it to the other instance, and that one's revocations
 * reach it.
 */
const ISSUER = "http://tokens.failover.test";
const anyRequest = { method: "GET", path: "/api/orders/1" };
let a: Tokensmith | undefined;
let b: Tokensmith | undefined;
let nginx: Nginx | undefined;
afterAll(async () => {
  nginx?.stop();
  await b?.stop();
  await a?.stop();
  await a?.database.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const followers = async (instance: Tokensmith) => {
  const text = await (await fetch(/Metrics on (http:\/\/[^\s"]+)/.exec(instance.server.output())![1]!)).text();
  return Number(/^tokensmith_revocation_feed_followers (\d+)$/m.exec(text)![1]);
};

it("SIGTERM ends the stream cleanly; the verifier reconnects to the other instance and hears its revocations", async () => {
  const env = { PUBLIC_URL: ISSUER, METRICS_PORT: "0", SHUTDOWN_TIMEOUT: "20 seconds" };
  a = await Tokensmith.start(env);
  b = await Tokensmith.start(env, a.database);
  nginx = await startNginx(`
    upstream tokensmith { server 127.0.0.1:${a.port}; server 127.0.0.1:${b.port}; }
    server {
      listen 127.0.0.1:{{port}};
      location / { proxy_pass http://tokensmith; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; proxy_read_timeout 1h; }
    }`);
  const events: FeedEvent[] = [];
  const verifier = createVerifier({ feedKey: FEED_KEY, issuer: ISSUER, baseUrl: nginx.url, onFeedEvent: (event) => events.push(event), maxReconnectDelay: 1000 });
  try {
    expect(await verifier.ready(10_000)).toBe(true);
    const token = await a.createToken();
    await verifier.verify(`Bearer ${token.jwt_token}`, anyRequest);
    const [followed, other] = (await followers(a)) === 1 ? [a, b] : [b, a];
    expect(await followers(followed)).toBe(1);

    const child = followed.server.process;
    const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const at = performance.now();
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    // The open stream did not hold the instance until SHUTDOWN_TIMEOUT.
    expect(performance.now() - at).toBeLessThan(10_000);
    const deadline = Date.now() + 15_000;
    while ((await followers(other)) !== 1 && Date.now() < deadline) await sleep(200);
    expect(await followers(other)).toBe(1);
    expect(events.find((event) => event.type === "disconnected")).toMatchObject({ reason: "the server closed the stream" });
    expect(events.filter((event) => event.type === "connected")).toHaveLength(2);

    await other.revoke(token.jwt_token_id);
    const refusedBy = Date.now() + 10_000;
    let status = 200;
    while (status === 200 && Date.now() < refusedBy) {
      status = await verifier.verify(`Bearer ${token.jwt_token}`, anyRequest).then(() => 200, (error: { status: number }) => error.status);
      if (status === 200) await sleep(100);
    }
    expect(status).toBe(401);
  } finally {
    await verifier.close();
  }
}, 90_000);
