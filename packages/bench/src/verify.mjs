// @tokensmith/verify in numbers: a seen token, a first sight, the CPU cost of its Express and Fastify glue
// (beside two other Express libraries), and how fast a revocation reaches a verifier. Printed, never asserted
// (see packages/verify/README.md). Needs `pnpm build` (the server and packages/verify/dist).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { BENCH_FEED_KEY, cpuSeconds, startTokensmith } from "./processes.mjs";
import { CONNECTIONS, DURATION, fmt, medianBy } from "./load.mjs";

const { createVerifier } = await import(new URL("../../verify/dist/index.js", import.meta.url).href);

/** `--json`: the figures join the server benchmark's file under `verify` (BENCH_JSON, or bench-results.json at the root). */
const JSON_FILE = process.argv.includes("--json")
  ? (process.env.BENCH_JSON ?? fileURLToPath(new URL("../../../bench-results.json", import.meta.url)))
  : null;
const REVOKES = Number(process.env.BENCH_REVOKES ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ADMIN = `Basic ${Buffer.from("admin:bench-admin-password").toString("base64")}`;
const sorted = (values) => [...values].sort((a, b) => a - b);
const quantile = (values, q) => sorted(values)[Math.min(values.length - 1, Math.floor(q * values.length))];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function api(server, method, path, body, authorization = ADMIN) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}
const createToken = (server, body = {}) => api(server, "POST", "/v1alpha/token/", { jwt_token_description: "bench", jwt_token_life: "1 day", ...body });

/**
 * One seen token, the median over batches of the mean per call (a call is too short to time alone):
 * through verify() (a promise, as a caller that awaits pays) and through check() (synchronous for a
 * seen token, as the Express and Fastify middleware call it).
 */
async function seenToken(verifier, token) {
  const request = { method: "GET", path: "/api/orders/1" };
  const batch = 2_000;
  const perCall = { verify: [], check: [] };
  for (let round = 0; round < 250; round++) {
    let started = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await verifier.verify(token, request);
    perCall.verify.push(Number(process.hrtime.bigint() - started) / 1e3 / batch);
    started = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) verifier.check(token, request);
    perCall.check.push(Number(process.hrtime.bigint() - started) / 1e3 / batch);
  }
  // The first rounds warm the JIT up.
  return { verify: quantile(perCall.verify.slice(50), 0.5), check: quantile(perCall.check.slice(50), 0.5) };
}

/**
 * requireToken (Express) called in process on a seen token, beside a no-op middleware: the glue's
 * own cost without the HTTP load's noise. Each call gets a header string of its own, as the HTTP
 * parser gives (a reused string keeps its hash, which would flatter the cache lookup).
 */
async function middlewareInProcess(verifier, token) {
  const { requireToken } = await import(new URL("../../verify/dist/express.js", import.meta.url).href);
  const guards = { tokensmith: requireToken(verifier), noop: (_req, _res, next) => next() };
  const batch = 2_000;
  const perCall = { tokensmith: [], noop: [] };
  const res = { status: () => res, set: () => res, json: () => undefined };
  let accepted = 0;
  const next = (error) => {
    if (error === undefined) accepted++;
  };
  for (let round = 0; round < 250; round++) {
    for (const [name, guard] of Object.entries(guards)) {
      const requests = Array.from({ length: batch }, () => ({
        method: "GET",
        url: "/api/orders/1",
        originalUrl: "/api/orders/1",
        headers: { authorization: Buffer.from(`Bearer ${token}`).toString() },
      }));
      const started = process.hrtime.bigint();
      for (const req of requests) guard(req, res, next);
      perCall[name].push(Number(process.hrtime.bigint() - started) / 1e3 / batch);
    }
  }
  if (accepted !== 250 * batch * 2) throw new Error(`requireToken refused the seen token (${accepted} accepted)`);
  return { tokensmith: quantile(perCall.tokensmith.slice(50), 0.5), noop: quantile(perCall.noop.slice(50), 0.5) };
}

/** verify() of tokens never seen: one signature check each (the key set is already held). */
async function firstSights(server, verifier, count) {
  const tokens = [];
  for (let i = 0; i < count; i++) tokens.push((await createToken(server, { jwt_token_endpoints: ["GET /api/orders/*"] })).jwt_token);
  const times = [];
  for (const token of tokens) {
    const started = process.hrtime.bigint();
    await verifier.verify(`Bearer ${token}`, { method: "GET", path: "/api/orders/1" });
    times.push(Number(process.hrtime.bigint() - started) / 1e3);
  }
  return quantile(times.slice(20), 0.5);
}

function startApp(env) {
  const child = spawn(process.execPath, [new URL("./verify-app.mjs", import.meta.url).pathname], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ url: match[1], pid: child.pid, stop: () => new Promise((done) => (child.once("exit", done), child.kill("SIGTERM"))) });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${env.FRAMEWORK ?? "express"} app (${env.GUARD}) exited with ${code}:\n${output}`)));
  });
}

/** Loads one app process; CPU per request from /proc (steadier than req/s on shared cores). */
async function loadApp(env, headers) {
  const app = await startApp(env);
  try {
    const url = `${app.url}/api/orders/1`;
    await autocannon({ url, headers, connections: CONNECTIONS, duration: 2 });
    const cpuBefore = cpuSeconds(app.pid);
    const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION });
    const bad = result.non2xx + result.errors + result.timeouts;
    if (bad > 0) throw new Error(`${bad} failed requests against ${url}`);
    return { rps: result.requests.average, p99: result.latency.p99, cpuMicros: ((cpuSeconds(app.pid) - cpuBefore) * 1e6) / result.requests.total };
  } finally {
    await app.stop();
  }
}

/**
 * Revokes `count` seen tokens one at a time; for each, how long until the verifier refuses it.
 * The DELETEs authenticate with an admin token: Basic would add a scrypt check (~30 ms) to each.
 */
async function propagation(server, verifier, count) {
  const request = { method: "GET", path: "/api/orders/1" };
  const revoker = `Bearer ${(await createToken(server)).jwt_token}`;
  const tokens = [];
  for (let i = 0; i < count; i++) {
    const token = await createToken(server);
    await verifier.verify(token.jwt_token, request);
    tokens.push(token);
  }
  const fromSend = [];
  const fromAnswer = [];
  for (const token of tokens) {
    const sent = performance.now();
    let answered;
    const deleted = api(server, "DELETE", `/v1alpha/token/${token.jwt_token_id}`, undefined, revoker).then(() => (answered = performance.now()));
    for (;;) {
      const refused = await verifier.verify(token.jwt_token, request).then(() => false, (error) => error.status === 401);
      if (refused) break;
      await sleep(1);
    }
    const refusedAt = performance.now();
    await deleted;
    fromSend.push(refusedAt - sent);
    fromAnswer.push(refusedAt - answered);
    await sleep(20);
  }
  return { fromSend, fromAnswer };
}

const GUARDS = {
  express: ["bare", "noop", "tokensmith", "auth0", "express-jwt"],
  fastify: ["bare", "noop", "tokensmith"],
};
const GUARD_NAMES = {
  bare: "bare route",
  noop: "a no-op middleware",
  tokensmith: "@tokensmith/verify",
  auth0: "express-oauth2-jwt-bearer",
  "express-jwt": "express-jwt + jwks-rsa",
};

/**
 * Each framework's apps loaded in turn, ROUNDS times alternated, the median of each kept: two
 * cores shared with the load generator make a single 10 s load vary by ±20%. The same token and
 * the same answer everywhere; only what guards the route differs.
 */
async function guardCosts(server, headers, env) {
  const figures = {};
  for (const [framework, guards] of Object.entries(GUARDS)) {
    const runs = Object.fromEntries(guards.map((guard) => [guard, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const guard of guards) runs[guard].push(await loadApp({ ...env, FRAMEWORK: framework, GUARD: guard }, headers));
    }
    const median = Object.fromEntries(guards.map((guard) => [guard, medianBy(runs[guard], (run) => run.cpuMicros)]));
    figures[framework] = median;
    console.log(`\n${framework}, autocannon ${CONNECTIONS} connections × ${DURATION} s, CPU per request of the API process (median of ${ROUNDS} alternated runs):`);
    for (const guard of guards) {
      const run = median[guard];
      const added = guard === "bare" ? "" : `  +${fmt(run.cpuMicros - median.bare.cpuMicros, 1)} over bare, +${fmt(run.cpuMicros - median.noop.cpuMicros, 1)} over no-op`;
      console.log(`  ${`${GUARD_NAMES[guard]}:`.padEnd(28)} ${fmt(run.rps).padStart(7)} req/s  p99 ${run.p99} ms  ${fmt(run.cpuMicros, 1).padStart(6)} µs CPU${added}`);
    }
    const ours = median.tokensmith.cpuMicros - median.bare.cpuMicros;
    for (const other of guards.filter((guard) => guard !== "tokensmith" && guard !== "bare" && guard !== "noop")) {
      const theirs = median[other].cpuMicros - median.bare.cpuMicros;
      console.log(`  @tokensmith/verify adds ${fmt(ours / theirs, 2)}× what ${GUARD_NAMES[other]} adds (target ≤ 0.2)`);
    }
  }
  return figures;
}

async function main() {
  // `pnpm bench --scale` is only the scale runs.
  if (process.argv.includes("--scale") || process.env.BENCH_SCALE === "1") return;
  console.log(`@tokensmith/verify benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`);
  // BENCH_DATABASE=postgres: a throwaway cluster; PostgreSQL needs the master secret given.
  const postgres = process.env.BENCH_DATABASE === "postgres";
  const env = { ADMIN_PASSWORD: "bench-admin-password", ...(postgres ? { TOKENSMITH_SECRET: "bench-master-secret-0123456789abcdef" } : {}) };
  const server = await startTokensmith(env, { database: postgres ? "postgres" : "sqlite" });
  const verifier = createVerifier({ issuer: server.url, feedKey: BENCH_FEED_KEY, maxStaleness: 30_000 });
  try {
    if (!(await verifier.ready(10_000))) throw new Error("no snapshot from the revocation feed");
    const token = await createToken(server, { jwt_token_endpoints: ["GET /api/orders/*"] });
    await verifier.verify(token.jwt_token, { method: "GET", path: "/api/orders/1" });
    const results = {};
    const seen = (results.seen = await seenToken(verifier, `Bearer ${token.jwt_token}`));
    console.log(`verify, seen token:            ${fmt(seen.verify, 2)} µs  (median of 200 batches of 2,000 calls; awaited)`);
    console.log(`check, seen token:             ${fmt(seen.check, 2)} µs  (the same, synchronous: what the middleware calls)`);
    const glue = (results.middlewareInProcess = await middlewareInProcess(verifier, token.jwt_token));
    console.log(`requireToken, in process:      ${fmt(glue.tokensmith, 2)} µs  (Express, a seen token, a header string of its own per call; a no-op middleware ${fmt(glue.noop, 2)} µs: +${fmt(glue.tokensmith - glue.noop, 2)})`);
    results.firstSight = await firstSights(server, verifier, 220);
    console.log(`verify, first sight:           ${fmt(results.firstSight, 0)} µs  (median of 200 tokens; one ES256 check)`);

    const revocations = (results.revocations = await propagation(server, verifier, REVOKES));
    const line = (values) => `median ${fmt(quantile(values, 0.5), 1)} ms, p99 ${fmt(quantile(values, 0.99), 1)} ms, max ${fmt(Math.max(...values), 1)} ms`;
    console.log(`revocation → refused, from sending the DELETE:    ${line(revocations.fromSend)}  (${REVOKES} revokes)`);
    console.log(`revocation → refused, from the DELETE's answer:   ${line(revocations.fromAnswer)}  (how much later the verifier knew)`);

    const authorization = { authorization: `Bearer ${token.jwt_token}` };
    const caller = await verifier.verify(token.jwt_token, { method: "GET", path: "/api/orders/1" });
    results.guards = await guardCosts(server, authorization, { CALLER: JSON.stringify(caller), ISSUER: server.url, FEED_KEY: BENCH_FEED_KEY });
    if (JSON_FILE) {
      const file = fs.existsSync(JSON_FILE) ? JSON.parse(fs.readFileSync(JSON_FILE, "utf8")) : {};
      fs.writeFileSync(JSON_FILE, `${JSON.stringify({ ...file, verify: results }, null, 2)}\n`);
    }
  } finally {
    await verifier.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
