// `pnpm bench`: the authenticated REST path against the node:http ceiling, plus micro-benchmarks.
// Numbers are printed, never asserted: they depend on the machine (see README, Performance).
import { randomBytes, randomUUID } from "node:crypto";
import os from "node:os";
import autocannon from "autocannon";
import { generateSigningKey, hashPassword, importPrivateKey, importPublicJwk, sha256Hex, signAccessToken, verifyAccessToken } from "@tokensmith/core";
import { openDatabase } from "@tokensmith/db";
import { cpuSeconds, startBareHttp, startTokensmith } from "./processes.mjs";

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
/** BENCH_DATABASE=postgres: the same benchmark on a throwaway PostgreSQL cluster. */
const DATABASE = process.env.BENCH_DATABASE === "postgres" ? "postgres" : "sqlite";
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ADMIN_PASSWORD = "bench-admin-password";
const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/**
 * One load with autocannon. `pid`: the server process whose CPU time (user + system, from /proc)
 * is divided by the requests it served — steadier than req/s, since the load generator shares
 * the same cores.
 */
async function load(title, opts, pid) {
  const cpuBefore = pid ? cpuSeconds(pid) : NaN;
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  const cpuMicros = pid ? ((cpuSeconds(pid) - cpuBefore) * 1e6) / result.requests.total : NaN;
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${title}: ${bad} failed requests (non-2xx ${result.non2xx}, errors ${result.errors})`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total, cpuMicros };
}

async function json(url, init) {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function median(times, fn) {
  const samples = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

/** Seeds `count` tokens for a new user straight into the database (what the API would write, minus the signing). */
async function seedTokens(databaseUrl, username, passwordHash, count) {
  const opened = await openDatabase(databaseUrl);
  try {
    const user = await opened.db.user.create({ data: { username, passwordHash } });
    const now = Date.now();
    const rows = Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      userId: user.id,
      description: `seeded ${i}`,
      lifeSeconds: 86_400,
      tokenHash: sha256Hex(randomBytes(16).toString("hex")),
      createdAt: new Date(now - i * 1000),
      expiresAt: new Date(now - i * 1000 + 86_400_000),
    }));
    for (let i = 0; i < rows.length; i += 1000) await opened.db.accessToken.createMany({ data: rows.slice(i, i + 1000) });
  } finally {
    await opened.close();
  }
}

/** ES256 signatures and verifications per second, in process (what a create and a first sight cost). */
async function jwtPerSecond() {
  const generated = await generateSigningKey("ES256");
  const signer = { kid: generated.kid, alg: "ES256", key: importPrivateKey(generated.privateKey) };
  const verifier = { kid: generated.kid, alg: "ES256", key: importPublicJwk(generated.publicJwk) };
  const input = { userId: "u", username: "bench", tokenId: randomUUID(), description: "bench", issuedAt: Math.floor(Date.now() / 1000), lifeSeconds: 3600 };
  const token = await signAccessToken(input, signer);
  const rate = async (n, fn) => {
    for (let i = 0; i < n / 10; i++) await fn();
    const start = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return n / ((performance.now() - start) / 1000);
  };
  return {
    sign: await rate(5_000, () => signAccessToken(input, signer)),
    verify: await rate(5_000, () => verifyAccessToken(token, () => verifier)),
  };
}

const fmt = (n, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main() {
  console.log(`Tokensmith benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  console.log(`autocannon: ${CONNECTIONS} connections, ${DURATION} s per load; database: ${DATABASE}\n`);
  const server = await startTokensmith({ ADMIN_PASSWORD }, { database: DATABASE });
  try {
    const admin = basic("admin", ADMIN_PASSWORD);
    const created = await json(`${server.url}/v1alpha/token/`, {
      method: "POST",
      headers: { authorization: admin, "content-type": "application/json" },
      body: JSON.stringify({ jwt_token_description: "bench", jwt_token_life: "1 day" }),
    });
    const bearer = { authorization: `Bearer ${created.jwt_token}` };
    const target = `${server.url}/v1alpha/token/${created.jwt_token_id}`;
    const sample = JSON.stringify(await json(target, { headers: bearer }));

    await load("warm-up", { url: target, headers: bearer, duration: 2 });
    const real = await load("GET /v1alpha/token/{id}", { url: target, headers: bearer }, server.pid);
    const forwardAuth = await load(
      "forward auth",
      { url: `${server.url}/v1alpha/forward-auth`, headers: { ...bearer, "x-original-method": "GET", "x-original-uri": "/api/orders/1?x=1" } },
      server.pid,
    );
    const introspection = await load(
      "introspection",
      {
        url: `${server.url}/v1alpha/introspect`,
        method: "POST",
        headers: { ...bearer, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: created.jwt_token }).toString(),
      },
      server.pid,
    );
    const bare = await startBareHttp(sample);
    let ceiling;
    try {
      await load("warm-up", { url: bare.url, duration: 2 });
      ceiling = await load("bare node:http", { url: bare.url }, bare.pid);
    } finally {
      await bare.stop();
    }

    const line = (label, r) =>
      `${label.padEnd(34)}${fmt(r.rps).padStart(8)} ${String(r.p50).padStart(5)} ms ${String(r.p99).padStart(4)} ms ${fmt(r.cpuMicros, 1).padStart(8)} µs`;
    console.log(`${"".padEnd(34)}   req/s      p50     p99   CPU/request`);
    console.log(line("1. GET /v1alpha/token/{id} Bearer", real));
    console.log(line("2. forward auth (nginx-style)", forwardAuth));
    console.log(line("3. introspection (RFC 7662)", introspection));
    console.log(line("4. bare node:http, same body", ceiling));
    console.log(`ratio (1) / (4): req/s ${fmt(real.rps / ceiling.rps, 2)}, CPU ${fmt(ceiling.cpuMicros / real.cpuMicros, 2)}   (body ${sample.length} bytes)`);
    console.log(`CPU per request vs the authenticated GET: forward auth ${fmt(forwardAuth.cpuMicros / real.cpuMicros, 2)}×, introspection ${fmt(introspection.cpuMicros / real.cpuMicros, 2)}×\n`);

    const jwt = await jwtPerSecond();
    console.log(`ES256 in process: sign ${fmt(jwt.sign)} /s, verify ${fmt(jwt.verify)} /s`);
    const creates = await load("POST /v1alpha/token/", {
      url: `${server.url}/v1alpha/token/`,
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify({ jwt_token_description: "bench create", jwt_token_life: "1 hour" }),
      duration: Math.min(DURATION, 5),
    }, server.pid);
    console.log(`token create (REST, Bearer): ${fmt(creates.rps)} /s  (p99 ${creates.p99} ms, ${fmt(creates.cpuMicros)} µs CPU each)`);

    const passwordHash = await hashPassword("lister-password");
    for (const count of [1_000, 10_000]) {
      const username = `lister${count}`;
      await seedTokens(server.databaseUrl, username, passwordHash, count);
      const who = await json(`${server.url}/v1alpha/token/`, {
        method: "POST",
        headers: { authorization: basic(username, "lister-password"), "content-type": "application/json" },
        body: JSON.stringify({ jwt_token_description: "lister", jwt_token_life: "1 hour" }),
      });
      const headers = { authorization: `Bearer ${who.jwt_token}` };
      let size = 0;
      const ms = await median(7, async () => {
        const body = await json(`${server.url}/v1alpha/token/`, { headers });
        size = Object.keys(body.jwt_tokens).length;
      });
      console.log(`list of ${fmt(count)} tokens (REST, median of 7): ${fmt(ms, 1)} ms  (${fmt(size)} listed)`);
    }
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
