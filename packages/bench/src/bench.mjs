// `pnpm bench`: the authenticated REST path against the node:http ceiling, plus micro-benchmarks.
// Numbers are printed, never asserted: they depend on the machine (see docs/performance.md).
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import os from "node:os";
import fs from "node:fs";
import { generateSigningKey, hashPassword, importPrivateKey, importPublicJwk, signAccessToken, verifyAccessToken } from "@tokensmith/core";
import { openDatabase } from "@tokensmith/db";
import { seedTokens } from "@tokensmith/testkit";
import { startTokensmith } from "./processes.mjs";
import { measurePaths, ROUNDS } from "./paths.mjs";
import { basic, CONNECTIONS, createBody, DURATION, fmt, json, load, medianBy } from "./load.mjs";
import { memoryScenario } from "./memory.mjs";
import { loadWithWrk } from "./wrk.mjs";
import { measureOps } from "./ops.mjs";
import { feedScenario } from "./feed.mjs";
import { proxyScenario } from "./proxy.mjs";
import { scaleScenario } from "./scale.mjs";

/** BENCH_DATABASE=postgres: the same benchmark on a throwaway PostgreSQL cluster. */
const DATABASE = process.env.BENCH_DATABASE === "postgres" ? "postgres" : "sqlite";
const ADMIN_PASSWORD = "bench-admin-password";
/** `--json`: the figures also go to this file (BENCH_JSON, or bench-results.json at the repository root). */
const JSON_FILE = process.argv.includes("--json")
  ? (process.env.BENCH_JSON ?? fileURLToPath(new URL("../../../bench-results.json", import.meta.url)))
  : null;

async function median(times, fn) {
  const samples = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return medianBy(samples);
}

/** Seeds `count` tokens for a new user straight into the database (testkit's seedTokens: what the API would write, minus the signing). */
async function seedUserTokens(databaseUrl, username, passwordHash, count) {
  const opened = await openDatabase(databaseUrl);
  try {
    const user = await opened.db.user.create({ data: { username, passwordHash } });
    await seedTokens(opened.db, opened.target.kind === "postgres", { userId: user.id, count, expiresAt: Date.now() + 86_400_000, createdEveryMs: 1000 });
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

const line = (label, r) =>
  `${label.padEnd(36)}${fmt(r.rps).padStart(8)} ${String(r.p50).padStart(5)} ms ${String(r.p99).padStart(4)} ms ${fmt(r.cpuMicros, 1).padStart(8)} µs`;

const createToken = (server, authorization, description) =>
  json(`${server.url}/v1alpha/token/`, { method: "POST", headers: { authorization, "content-type": "application/json" }, body: createBody(description, "1 day") });

async function main() {
  const results = { machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}`, node: process.version, database: DATABASE, connections: CONNECTIONS, durationSeconds: DURATION };
  console.log(`Tokensmith benchmark — ${results.machine}, ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  // The long run (a million tokens): on its own, never part of the default benchmark.
  if (process.env.BENCH_SCALE === "1" || process.argv.includes("--scale")) {
    results.scale = await scaleScenario(DATABASE, console.log);
    if (JSON_FILE) fs.writeFileSync(JSON_FILE, `${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  console.log(`autocannon: ${CONNECTIONS} connections, ${DURATION} s per load (the paths below: shorter loads in rounds); database: ${DATABASE}\n`);
  // One user (admin) makes every token here, 100,000 of them with BENCH_MEMORY=1: past the per-user default.
  const server = await startTokensmith({ ADMIN_PASSWORD, MAX_TOKENS_PER_USER: "10000000" }, { database: DATABASE });
  try {
    const admin = basic("admin", ADMIN_PASSWORD);
    const created = await createToken(server, admin, "bench");
    const bearer = `Bearer ${created.jwt_token}`;
    const measured = await measurePaths(server, created);
    const { paths, ratios } = measured;
    results.paths = paths;
    // Each ratio is the median of the rounds' own (paired) ratios; low and high beside it.
    results.cpuRatio = Object.fromEntries(Object.entries(ratios).map(([name, r]) => [name, r.median]));
    results.cpuRatioRange = ratios;
    results.rpsRatio = paths.get.rps / paths.bare.rps;
    const ratioText = (r) => `${fmt(r.median, 2)} (${fmt(r.low, 2)}–${fmt(r.high, 2)})`;
    console.log(`${ROUNDS} rounds of ${measured.roundSeconds}-second loads, each server once per round; a path's figures are its median round's,`);
    console.log(`its CPU ratio the median of the rounds' ratios (lowest–highest round in brackets).\n`);
    console.log(`${"".padEnd(36)}   req/s      p50     p99   CPU/request   CPU ratio (bare ÷ this)`);
    console.log(`${line("1. GET /v1alpha/token/{id} Bearer", paths.get)}   ${ratioText(ratios.get)}`);
    console.log(`${line("2. forward auth (nginx-style)", paths.forwardAuth)}   ${ratioText(ratios.forwardAuth)}`);
    console.log(`${line("3. introspection (RFC 7662)", paths.introspection)}   ${ratioText(ratios.introspection)}; ÷ 4b: ${ratioText(ratios.introspectionVsBarePost)}`);
    console.log(line("4. bare node:http, same body", paths.bare));
    console.log(line("4b. bare node:http, 3's POST", paths.barePost));
    console.log(`req/s ratio (1) / (4): ${fmt(results.rpsRatio, 2)}   (body ${measured.sampleBytes} bytes)\n`);

    // The same rounds with wrk: the two generators disagreed on what a request costs (issue 28).
    const underWrk = await measurePaths(server, created, { loader: loadWithWrk });
    results.wrk = { paths: underWrk.paths, cpuRatio: Object.fromEntries(Object.entries(underWrk.ratios).map(([name, r]) => [name, r.median])), cpuRatioRange: underWrk.ratios };
    console.log(`The same under wrk -t2 -c${CONNECTIONS} (keep-alive, no pipelining):`);
    console.log(`${line("1. GET /v1alpha/token/{id} Bearer", underWrk.paths.get)}   ${ratioText(underWrk.ratios.get)}`);
    console.log(`${line("2. forward auth (nginx-style)", underWrk.paths.forwardAuth)}   ${ratioText(underWrk.ratios.forwardAuth)}`);
    console.log(`${line("3. introspection (RFC 7662)", underWrk.paths.introspection)}   ${ratioText(underWrk.ratios.introspection)}; ÷ 4b: ${ratioText(underWrk.ratios.introspectionVsBarePost)}`);
    console.log(line("4. bare node:http, same body", underWrk.paths.bare));
    console.log(`${line("4b. bare node:http, 3's POST", underWrk.paths.barePost)}\n`);

    const jwt = await jwtPerSecond();
    results.es256 = jwt;
    console.log(`ES256 in process: sign ${fmt(jwt.sign)} /s, verify ${fmt(jwt.verify)} /s`);
    const creates = (authorization) =>
      load("POST /v1alpha/token/", { url: `${server.url}/v1alpha/token/`, method: "POST", headers: { authorization, "content-type": "application/json" }, body: createBody("bench create"), duration: Math.min(DURATION, 5) }, server.pid);
    // Warmed up first: the first seconds of creating (JIT, pool connections) are far slower.
    await load("warm-up", { url: `${server.url}/v1alpha/token/`, method: "POST", headers: { authorization: bearer, "content-type": "application/json" }, body: createBody("warm-up"), duration: 2 });
    results.create = { bearer: await creates(bearer), basic: await creates(admin) };
    console.log(line("5. token create, Bearer", results.create.bearer));
    console.log(line("6. token create, HTTP Basic", results.create.basic));

    results.list = {};
    const passwordHash = await hashPassword("lister-password");
    for (const count of [1_000, 10_000]) {
      const username = `lister${count}`;
      await seedUserTokens(server.databaseUrl, username, passwordHash, count);
      const who = await createToken(server, basic(username, "lister-password"), "lister");
      const headers = { authorization: `Bearer ${who.jwt_token}` };
      let size = 0;
      const ms = await median(7, async () => {
        const body = await json(`${server.url}/v1alpha/token/`, { headers });
        size = Object.keys(body.jwt_tokens).length;
      });
      results.list[count] = ms;
      console.log(`list of ${fmt(count)} tokens (REST, median of 7): ${fmt(ms, 1)} ms  (${fmt(size)} listed)`);
    }
    if (process.env.BENCH_MEMORY === "1") results.memory = await memoryScenario(server, bearer, console.log);
  } finally {
    await server.stop();
  }

  // Metrics and request logs: what they add to the same GET, paired against a server without them.
  const ops = await measureOps({ ADMIN_PASSWORD, database: DATABASE });
  results.ops = ops;
  const delta = (d) => `${fmt(d.median, 2)} µs (rounds ${fmt(d.low, 2)} to ${fmt(d.high, 2)})`;
  console.log(`\nGET /v1alpha/token/{id}, CPU per request: ${fmt(ops.cpuMicros.quiet, 1)} µs without metrics or request lines (LOG_LEVEL=warn)`);
  console.log(`  + metrics (METRICS_PORT set):       ${delta(ops.metricsDelta)}   — the histogram alone: ${fmt(ops.histogramNanos)} ns per request, in process`);
  console.log(`  + one JSON line per request (info): ${delta(ops.logsDelta)}`);

  // WORKERS: the same GET against 1 and 2 server processes, each on a fresh database.
  results.workers = {};
  for (const workers of [1, 2]) {
    const each = await startTokensmith({ ADMIN_PASSWORD, WORKERS: String(workers) }, { database: DATABASE });
    try {
      const token = await createToken(each, basic("admin", ADMIN_PASSWORD), "workers");
      const target = `${each.url}/v1alpha/token/${token.jwt_token_id}`;
      const headers = { authorization: `Bearer ${token.jwt_token}` };
      await load("warm-up", { url: target, headers, duration: 2 });
      results.workers[workers] = await load(`WORKERS=${workers}`, { url: target, headers }, each.pid);
    } finally {
      await each.stop();
    }
  }
  console.log(`\nGET /v1alpha/token/{id} by server processes (CPU/request counts every process):`);
  console.log(line("WORKERS=1", results.workers[1]));
  console.log(line("WORKERS=2", results.workers[2]));
  console.log(`(${os.cpus().length} cores shared with autocannon, which needs about one of them: a second worker mostly competes with the load generator here)`);

  results.proxy = await proxyScenario({ database: DATABASE });
  results.feed = await feedScenario(DATABASE, console.log);
  if (JSON_FILE) {
    fs.writeFileSync(JSON_FILE, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nfigures written to ${JSON_FILE}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
