// BENCH_MEMORY=1: one million authenticated requests over 100,000 distinct tokens, and the
// server's resident memory along the way. Every per-token cache must be bounded for it to stay flat.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { CONNECTIONS, createBody, fmt } from "./load.mjs";
import { cpuSeconds, residentBytes } from "./processes.mjs";

const TOKENS = Number(process.env.BENCH_MEMORY_TOKENS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_MEMORY_REQUESTS ?? 1_000_000);
const MB = 2 ** 20;

/** `count` tokens over HTTP, 16 at a time; `makers` (Authorization values) take turns by worker. */
async function createTokens(url, makers, count) {
  const tokens = [];
  let next = 0;
  const worker = async (k) => {
    const authorization = makers[k % makers.length];
    while (next < count) {
      next++;
      const res = await fetch(`${url}/v1alpha/token/`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: createBody("memory", "1 hour"),
      });
      if (!res.ok) throw new Error(`create: ${res.status} ${await res.text()}`);
      const body = await res.json();
      tokens.push({ path: `/v1alpha/token/${body.jwt_token_id}`, authorization: `Bearer ${body.jwt_token}` });
    }
  };
  await Promise.all(Array.from({ length: 16 }, (_, k) => worker(k)));
  return tokens;
}

/** `authorization`: who makes the tokens, one Authorization value or several taking turns. */
export async function memoryScenario(server, authorization, log) {
  const samples = [];
  const sample = (phase) => samples.push({ phase, at: Date.now(), rss: residentBytes(server.pid) });
  sample("start");
  const started = performance.now();
  const tokens = await createTokens(server.url, [authorization].flat(), TOKENS);
  log(`memory: created ${fmt(tokens.length)} tokens in ${fmt((performance.now() - started) / 1000, 1)} s`);
  sample("created");
  let i = 0;
  let served = 0;
  const timer = setInterval(() => sample(served < TOKENS ? "warm-up" : "load"), 1000);
  const cpuBefore = cpuSeconds(server.pid);
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    amount: REQUESTS,
    requests: [
      {
        // Round-robin over every token: each is seen once per 100,000 requests.
        setupRequest: (req) => {
          const token = tokens[i++ % tokens.length];
          return { ...req, path: token.path, headers: { ...req.headers, authorization: token.authorization } };
        },
        onResponse: () => void served++,
      },
    ],
  });
  clearInterval(timer);
  const cpuMicros = ((cpuSeconds(server.pid) - cpuBefore) * 1e6) / result.requests.total;
  sample("end");
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) log(`memory: failed requests: non-2xx ${result.non2xx} (${JSON.stringify(result.statusCodeStats)}), errors ${result.errors}, timeouts ${result.timeouts}`);
  const afterWarmUp = samples.filter((s) => s.phase === "load" || s.phase === "end").map((s) => s.rss);
  const figures = {
    tokens: tokens.length,
    // What the servers were started with (processes.mjs passes it on); null: the server's default.
    tokenCacheEntries: process.env.TOKEN_CACHE_ENTRIES ? Number(process.env.TOKEN_CACHE_ENTRIES) : null,
    requests: result.requests.total,
    failed: bad,
    rps: result.requests.average,
    p99: result.latency.p99,
    cpuMicros,
    rssStartMB: samples[0].rss / MB,
    rssAfterCreateMB: samples.find((s) => s.phase === "created").rss / MB,
    rssWarmMB: (afterWarmUp[0] ?? NaN) / MB,
    rssMaxMB: Math.max(...afterWarmUp) / MB,
    rssEndMB: samples.at(-1).rss / MB,
  };
  log(
    `memory: ${fmt(figures.requests)} requests over ${fmt(figures.tokens)} tokens (${fmt(bad)} failed; TOKEN_CACHE_ENTRIES ${figures.tokenCacheEntries ?? "default"}), ${fmt(figures.rps)} req/s, p99 ${figures.p99} ms, ${fmt(cpuMicros, 1)} µs CPU per request (server)\n` +
      `        RSS start ${fmt(figures.rssStartMB)} MB, after creating ${fmt(figures.rssAfterCreateMB)} MB, ` +
      `after warm-up ${fmt(figures.rssWarmMB)} MB, max ${fmt(figures.rssMaxMB)} MB, end ${fmt(figures.rssEndMB)} MB`,
  );
  if (process.env.BENCH_MEMORY_SAMPLES) log(samples.filter((_, k) => k % 10 === 0).map((s) => `${s.phase[0]}${Math.round(s.rss / MB)}`).join(" "));
  return figures;
}

/**
 * The same, in a node process of its own: a load generator in a process that has already seeded and
 * measured a million tokens ran at a fraction of its speed (1.8 GB resident, most of its time in
 * its own garbage collection), and the server then waits for it.
 */
export function memoryScenarioApart(server, authorization, log) {
  // The tokens go in the environment, not the command line, which any user's `ps` shows.
  const target = JSON.stringify({ url: server.url, pid: server.pid, authorization });
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, BENCH_MEMORY_TARGET: target } });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      const lines = output.trimEnd().split("\n");
      const result = lines.pop() ?? "";
      for (const line of lines) log(line);
      if (code === 0) resolve(JSON.parse(result));
      else reject(new Error(`the memory load exited with ${code}:\n${output}`));
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url, pid, authorization } = JSON.parse(process.env.BENCH_MEMORY_TARGET);
  const figures = await memoryScenario({ url, pid }, authorization, console.log);
  console.log(JSON.stringify(figures));
}
