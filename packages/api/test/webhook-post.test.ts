import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postWebhook } from "../src/webhooks/post.js";

/** A receiver on 127.0.0.1: what arrives, and how it answers by path. */
const seen: { path: string; host: string | undefined; body: string }[] = [];
const receiver = http.createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    seen.push({ path: req.url ?? "", host: req.headers.host, body });
    if (req.url === "/redirect") return void res.writeHead(302, { location: "/elsewhere" }).end();
    if (req.url === "/slow") return; // never answers
    res.writeHead(204).end();
  });
});
let port: number;
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const options = { timeoutMs: 1000, allowPrivate: true };

describe("postWebhook", () => {
  it("connects to the vetted address, keeping the name in Host", async () => {
    const result = await postWebhook(`http://localhost:${port}/ok`, { "webhook-id": "msg_1" }, '{"a":1}', options);
    expect(result).toMatchObject({ statusCode: 204, error: null });
    expect(seen.at(-1)).toEqual({ path: "/ok", host: `localhost:${port}`, body: '{"a":1}' });
  });

  it("refuses an internal address without sending anything unless private receivers are allowed", async () => {
    const before = seen.length;
    const result = await postWebhook(`https://localhost:${port}/ok`, {}, "{}", { ...options, allowPrivate: false });
    expect(result.statusCode).toBeNull();
    expect(result.error).toMatch(/^refused: localhost resolves to/);
    expect(seen.length).toBe(before);
  });

  it("applies the URL rules again at delivery: an http:// endpoint is not sent once private receivers are off", async () => {
    const before = seen.length;
    const result = await postWebhook(`http://localhost:${port}/ok`, {}, "{}", { ...options, allowPrivate: false });
    expect(result).toMatchObject({ statusCode: null, error: expect.stringMatching(/^refused: the endpoint URL must be an https:\/\/ URL: .*WEBHOOK_ALLOW_PRIVATE=1/), responseBody: null });
    expect(seen.length).toBe(before);
  });

  it("does not follow redirects", async () => {
    const result = await postWebhook(`http://127.0.0.1:${port}/redirect`, {}, "{}", options);
    expect(result.statusCode).toBe(302);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.some((r) => r.path === "/elsewhere")).toBe(false);
  });

  it("gives up at the timeout", async () => {
    const result = await postWebhook(`http://127.0.0.1:${port}/slow`, {}, "{}", options);
    expect(result).toMatchObject({ statusCode: null, error: "timed out after 1000 ms" });
    expect(result.durationMs).toBeGreaterThanOrEqual(950);
  });
});
