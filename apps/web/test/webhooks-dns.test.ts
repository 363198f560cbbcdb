import { spawnSync } from "node:child_process";
import dgram from "node:dgram";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * Webhook host names resolve on libuv's thread pool, which password hashing needs too. Here the
 * server's only DNS server (its own /etc/resolv.conf, in a mount namespace) is a real UDP socket
 * that never answers: each lookup would hold a pool thread for the resolver's whole timeout.
 */
const BLACKHOLE = "127.45.0.53";
const canIsolate = process.getuid?.() === 0 && spawnSync("unshare", ["-m", "true"]).status === 0;
const ADMIN = basicAuth("admin", "dns-admin-password");
let server: RunningServer;
let database: TestDatabase;
let blackhole: dgram.Socket;
let dir: string;

beforeAll(async () => {
  if (!canIsolate) return;
  blackhole = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => blackhole.bind(53, BLACKHOLE, resolve));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-dns-"));
  const resolvConf = path.join(dir, "resolv.conf");
  fs.writeFileSync(resolvConf, `nameserver ${BLACKHOLE}\noptions timeout:8 attempts:1\n`);
  database = await testDatabase();
  // Every Basic request pays the full scrypt: on the thread pool, like the lookups.
  server = await startServer(
    { DATABASE_URL: database.url, ADMIN_PASSWORD: "dns-admin-password", BASIC_AUTH_CACHE: "0", WEBHOOK_ALLOW_PRIVATE: "1" },
    { resolvConf },
  );
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
  blackhole?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!canIsolate)("a webhook host whose DNS never answers", () => {
  it("cannot stall password checks or other lookups: saves on such names give up after the deadline, the rest goes on meanwhile", async () => {
    const answered: string[] = [];
    const creations = Array.from({ length: 6 }, (_, i) =>
      request(`${server.url}/v1alpha/webhooks/`, { auth: ADMIN, method: "POST", body: { url: `https://h${i}.tokensmith-dns.test/hook`, events: ["token.created"] } }).then(
        (response) => {
          answered.push(`create ${i}`);
          return response;
        },
      ),
    );
    // Once the creations are waiting on DNS, a request that needs a pool thread for scrypt.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const list = await request(`${server.url}/v1alpha/token/`, { auth: ADMIN });
    answered.push("list");
    expect(list.status).toBe(200);
    // And a name that does resolve (from the hosts file) is not stuck behind them.
    const local = await request(`${server.url}/v1alpha/webhooks/`, { auth: ADMIN, method: "POST", body: { url: "http://localhost:9/hook", events: ["token.created"] } });
    answered.push("localhost");
    expect(local.status).toBe(201);
    const created = await Promise.all(creations);
    // Four stuck lookups would have held every pool thread until the resolver's 8 s ran out.
    expect(answered.slice(0, 2)).toEqual(["list", "localhost"]);
    for (const each of created) {
      expect(each.status).toBe(400);
      expect(each.body.errors).toEqual([expect.objectContaining({ field: "url", message: expect.stringContaining("does not resolve (ETIMEOUT)") })]);
    }
  }, 60_000);
});
