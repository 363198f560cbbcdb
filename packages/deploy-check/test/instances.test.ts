import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, freePort, startNginx, startPostgresCluster, type Nginx, type PostgresCluster, type TestDatabase } from "@tokensmith/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCompose, runFlags, seconds } from "./support/compose.js";
import { IMAGE, ROOT, ULIMITS, baseImage, buildImage, checkRuntime, inspect, logsOf, ok, podman, preflight, waitHealthy } from "./support/podman.js";

// compose.postgres.yaml's three instances, run from the image with the file's own settings (its
// secret file mounted as compose mounts it, read-only root, no capabilities), on the test's
// PostgreSQL, behind a real nginx running the file's nginx.conf. Loopback only: each instance
// gets a port of its own, and nginx's upstream names become those addresses.
const compose = readCompose("compose.postgres.yaml");
const NAMES = ["tokensmith-1", "tokensmith-2", "tokensmith-3"];
const containers: string[] = [];
let cluster: PostgresCluster | undefined;
let database: TestDatabase;
let proxy: Nginx;
let secretDir: string;
const ports: number[] = [];

beforeAll(async () => {
  preflight();
  const base = baseImage();
  await checkRuntime(base);
  await buildImage(base); // made by image.test.ts already: every layer comes from the cache
  if (!process.env.TOKENSMITH_TEST_POSTGRES_URL) {
    cluster = await startPostgresCluster();
    process.env.TOKENSMITH_TEST_POSTGRES_URL = cluster.url();
  }
  database = await createTestDatabase("postgres");
  // The secret file as the guide makes it: 0600, owned by the image's user.
  secretDir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-secrets-"));
  const secret = path.join(secretDir, "tokensmith.secret");
  fs.writeFileSync(secret, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
  fs.chownSync(secret, 10001, 10001);

  for (const name of NAMES) {
    const port = await freePort();
    ports.push(port);
    const flags = runFlags(compose, name, {
      secrets: { tokensmith_secret: secret },
      env: { POSTGRES_PASSWORD: "unused: the test's own database replaces the URL" },
      extraEnv: { HOST: "127.0.0.1", PORT: String(port), DATABASE_URL: database.url },
    });
    containers.push(await ok(["run", "-d", ...ULIMITS, "--network", "host", ...flags, IMAGE]));
  }
  await Promise.all(containers.map((id) => waitHealthy(id)));
  const conf = fs
    .readFileSync(path.join(ROOT, "deploy/compose/nginx.conf"), "utf8")
    .replace("listen 80;", "listen 127.0.0.1:{{port}};")
    .replace(/server tokensmith-(\d):3000;/g, (_, n: string) => `server 127.0.0.1:${ports[Number(n) - 1]};`);
  proxy = await startNginx(conf);
});

afterAll(async () => {
  proxy?.stop();
  if (containers.length > 0) await podman(["rm", "-f", "-t", "0", ...containers]);
  await database?.drop();
  cluster?.stop();
  if (secretDir) fs.rmSync(secretDir, { recursive: true, force: true });
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const self = (port: number, token: string) => fetch(`http://127.0.0.1:${port}/v1alpha/token/self`, { headers: { authorization: `Bearer ${token}` } });

describe("three instances of the image on PostgreSQL behind nginx (compose.postgres.yaml)", () => {
  it("one first admin between them; a token made through nginx works on each; a revoke on one holds on all", async () => {
    const logs = await Promise.all(containers.map(logsOf));
    const passwords = logs.flatMap((log) => [.../generated password\s+(\S+)/g.exec(log) ?? []].slice(1));
    expect(passwords).toHaveLength(1);
    const created = await fetch(`${proxy.url}/v1alpha/token/`, {
      method: "POST",
      headers: { authorization: basic("admin", passwords[0]!), "content-type": "application/json" },
      body: JSON.stringify({ jwt_token_description: "through nginx", jwt_token_life: "1 day" }),
    });
    expect(created.status).toBe(201);
    const { jwt_token: token, jwt_token_id: id } = (await created.json()) as { jwt_token: string; jwt_token_id: string };
    for (const port of ports) expect((await self(port, token)).status).toBe(200);

    const revoked = await fetch(`http://127.0.0.1:${ports[1]}/v1alpha/token/${id}`, { method: "DELETE", headers: { authorization: basic("admin", passwords[0]!) } });
    expect(revoked.status).toBe(200);
    for (const port of ports) expect((await self(port, token)).status).toBe(401);
    expect((await fetch(`${proxy.url}/v1alpha/token/self`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it("each stops with exit 0 on SIGTERM, within the compose file's grace period", async () => {
    const grace = seconds(compose.services["tokensmith-1"]!.stop_grace_period);
    await Promise.all(containers.map((id) => ok(["stop", "-t", String(grace), id])));
    for (const id of containers) expect((await inspect<{ State: { ExitCode: number } }>(id)).State.ExitCode).toBe(0);
  });
});
