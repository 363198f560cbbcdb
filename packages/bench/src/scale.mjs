// BENCH_SCALE=1 (or `pnpm bench --scale`): how cost grows with the number of tokens stored. For each
// size (BENCH_SCALE_SIZES, 1,000 to 1,000,000), one user's tokens are seeded into a fresh database
// in one statement (testkit's seedTokens), the server is restarted on it (the startup
// time), and then: p95 of the dashboard's list (first page), of a search and of a token page; the
// authenticated GET's CPU per request, in rounds paired with a server holding 1,000 tokens; and
// the server's resident memory. At the largest size, the load of BENCH_MEMORY=1 (unless
// BENCH_SCALE_MEMORY=0). Printed, never asserted (docs/performance.md).
import { openDatabase } from "@tokensmith/db";
import { seedTokens } from "@tokensmith/testkit";
import { residentBytes, startTokensmith } from "./processes.mjs";
import { basic, createBody, fmt, json, load, medianBy } from "./load.mjs";
import { memoryScenarioApart } from "./memory.mjs";

const SIZES = (process.env.BENCH_SCALE_SIZES ?? "1000,10000,100000,1000000").split(",").map(Number);
const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_SECONDS = 3;
const ADMIN_PASSWORD = "bench-admin-password";
const PASSWORD = "scale-user-password";
const MB = 2 ** 20;

const percentile = (samples, p) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * p))];

/** `count` more tokens for `userId`, one a second back in time, in one statement (testkit's seedTokens). */
async function seed(databaseUrl, userId, count) {
  const opened = await openDatabase(databaseUrl);
  try {
    const postgres = opened.target.kind === "postgres";
    await seedTokens(opened.db, postgres, { userId, count, expiresAt: Date.now() + 86_400_000, createdEveryMs: 1000 });
    // What autovacuum does within a minute of a bulk load (SQLite has no such daemon and no
    // statistics here): measured at once, PostgreSQL would plan on the empty table's statistics,
    // and the first samples would meet autovacuum itself (list p95 162 ms at a million, median 8).
    if (postgres) await opened.db.$executeRawUnsafe(`VACUUM ANALYZE "AccessToken"`);
    return (await opened.db.accessToken.findFirstOrThrow({ where: { userId, description: { startsWith: "seeded" } }, select: { id: true } })).id;
  } finally {
    await opened.close();
  }
}

/** A server whose "scale" user holds `size` tokens, restarted once on its database: the startup time. */
async function serverWith(size, database) {
  const env = { ADMIN_PASSWORD, MAX_TOKENS_PER_USER: "10000000" };
  const first = await startTokensmith(env, { database });
  try {
    const admin = basic("admin", ADMIN_PASSWORD);
    await json(`${first.url}/api/trpc/user.create`, { method: "POST", headers: { authorization: admin, "content-type": "application/json" }, body: JSON.stringify({ username: "scale", password: PASSWORD }) });
    const token = await json(`${first.url}/v1alpha/token/`, { method: "POST", headers: { authorization: basic("scale", PASSWORD), "content-type": "application/json" }, body: createBody("scale", "1 day") });
    const opened = await openDatabase(first.databaseUrl);
    const { userId } = await opened.db.accessToken.findUniqueOrThrow({ where: { id: token.jwt_token_id }, select: { userId: true } });
    await opened.close();
    const seedStarted = performance.now();
    const seededId = await seed(first.databaseUrl, userId, size - 1);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    await first.stopProcess();
    const started = performance.now();
    const server = await startTokensmith(env, { database, reuse: first });
    const startupMs = performance.now() - started;
    const stop = async () => {
      await server.stop();
      await first.stop();
    };
    return { server, stop, token, seededId, seedSeconds, startupMs };
  } catch (error) {
    await first.stop();
    throw error;
  }
}

/**
 * Bearer tokens of ten new users, to make the memory load's tokens by turns. Each create counts
 * its maker's unexpired tokens (MAX_TOKENS_PER_USER, raised here): the scale user has all the
 * seeded ones, and one maker of 100,000 would count up to 100,000 rows per create.
 */
async function memoryMakers(server) {
  const admin = basic("admin", ADMIN_PASSWORD);
  const makers = [];
  for (let k = 0; k < 10; k++) {
    const username = `memory${k}`;
    await json(`${server.url}/api/trpc/user.create`, { method: "POST", headers: { authorization: admin, "content-type": "application/json" }, body: JSON.stringify({ username, password: PASSWORD }) });
    const made = await json(`${server.url}/v1alpha/token/`, { method: "POST", headers: { authorization: basic(username, PASSWORD), "content-type": "application/json" }, body: createBody(username, "1 day") });
    makers.push(`Bearer ${made.jwt_token}`);
  }
  return makers;
}

/** p95 (and median) of `SAMPLES` sequential requests, in ms, after a few to warm up. */
async function latency(url, headers) {
  for (let i = 0; i < 5; i++) await json(url, { headers });
  const samples = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await json(url, { headers });
    samples.push(performance.now() - start);
  }
  return { p95: percentile(samples, 0.95), p50: percentile(samples, 0.5) };
}

const trpc = (server, path, input) => `${server.url}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;

const getTarget = (s) => ({ url: `${s.server.url}/v1alpha/token/${s.token.jwt_token_id}`, headers: { authorization: `Bearer ${s.token.jwt_token}` }, duration: ROUND_SECONDS });

/** The authenticated GET against `base` (1,000 tokens) and `other` in turn, ROUNDS times: each round's ratio other ÷ base. */
async function pairedGet(base, other) {
  for (const s of [base, other]) await load("warm-up", { ...getTarget(s), duration: 2 });
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? [other, base] : [base, other];
    const got = new Map();
    for (const s of order) got.set(s, await load("GET", getTarget(s), s.server.pid));
    rounds.push({ base: got.get(base).cpuMicros, other: got.get(other).cpuMicros, ratio: got.get(other).cpuMicros / got.get(base).cpuMicros });
  }
  const mid = medianBy(rounds, (round) => round.ratio);
  return { cpuMicros: mid.other, baseCpuMicros: mid.base, ratio: mid.ratio, low: Math.min(...rounds.map((x) => x.ratio)), high: Math.max(...rounds.map((x) => x.ratio)) };
}

async function measure(s, base) {
  const headers = { authorization: `Bearer ${s.token.jwt_token}` };
  const list = await latency(trpc(s.server, "token.search", {}), headers);
  const search = await latency(trpc(s.server, "token.search", { q: "billing 7" }), headers);
  const page = await latency(trpc(s.server, "token.detail", { id: s.seededId }), headers);
  const get = base ? await pairedGet(base, s) : null;
  return { list, search, page, get, rssMB: residentBytes(s.server.pid) / MB };
}

export async function scaleScenario(database, log) {
  const results = {};
  log(`Scale (${database}): one user's tokens; p95 of ${SAMPLES} sequential requests; GET CPU paired with a 1,000-token server in ${ROUNDS} rounds`);
  log(`${"tokens".padStart(10)}  seed s  startup ms  list p95  search p95  page p95   GET CPU/req (÷ 1,000 tokens)   RSS MB`);
  const base = await serverWith(1_000, database);
  try {
    for (const size of SIZES) {
      const s = size === 1_000 ? base : await serverWith(size, database);
      try {
        const m = await measure(s, size === 1_000 ? null : base);
        const get = m.get ?? { cpuMicros: NaN, ratio: 1, low: 1, high: 1 };
        results[size] = { seedSeconds: s.seedSeconds, startupMs: s.startupMs, ...m };
        log(
          `${fmt(size).padStart(10)}  ${fmt(s.seedSeconds, 1).padStart(6)}  ${fmt(s.startupMs).padStart(10)}  ${fmt(m.list.p95, 1).padStart(8)}  ${fmt(m.search.p95, 1).padStart(9)}  ${fmt(m.page.p95, 1).padStart(8)}   ` +
            `${m.get ? `${fmt(get.cpuMicros, 1)} µs (${fmt(get.ratio, 2)}; ${fmt(get.low, 2)}–${fmt(get.high, 2)})` : "(the base)"}`.padEnd(31) +
            `${fmt(m.rssMB).padStart(6)}`,
        );
        if (size === Math.max(...SIZES) && process.env.BENCH_SCALE_MEMORY !== "0") {
          // The load of BENCH_MEMORY=1 on the largest database: RSS and CPU over many distinct tokens.
          const memory = await memoryScenarioApart(s.server, await memoryMakers(s.server), log);
          // The GET's CPU per request with one token, on the same server just after (its heap as the load left it).
          const oneToken = await load("GET", getTarget(s), s.server.pid);
          const cpuTimesOneToken = memory.cpuMicros / oneToken.cpuMicros;
          results[size].memory = { ...memory, oneTokenCpuMicros: oneToken.cpuMicros, cpuTimesOneToken };
          log(`memory at ${fmt(size)} tokens: CPU per request over distinct tokens ÷ one token's GET just after (${fmt(oneToken.cpuMicros, 1)} µs): ${fmt(cpuTimesOneToken, 2)}`);
        }
      } finally {
        if (s !== base) await s.stop();
      }
    }
  } finally {
    await base.stop();
  }
  return results;
}
