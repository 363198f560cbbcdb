// One load with autocannon, measured by the server's CPU time as well as by req/s.
import autocannon from "autocannon";
import { cpuSeconds } from "./processes.mjs";

export const DURATION = Number(process.env.BENCH_DURATION ?? 10);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

/**
 * `pid`: the server process whose CPU time (user + system, from /proc, its workers included) is
 * divided by the requests it served — steadier than req/s, since the load generator shares the
 * same cores.
 */
export async function load(title, opts, pid) {
  const cpuBefore = pid ? cpuSeconds(pid) : NaN;
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  const cpuMicros = pid ? ((cpuSeconds(pid) - cpuBefore) * 1e6) / result.requests.total : NaN;
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${title}: ${bad} failed requests (non-2xx ${result.non2xx}, errors ${result.errors})`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total, cpuMicros };
}

export async function json(url, init) {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

export const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** The middle item by `key` (the upper middle of an even count): a run's median round, a median sample. */
export const medianBy = (items, key = (item) => item) => [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)];

export const fmt = (n, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const createBody = (description, life = "1 hour") => JSON.stringify({ jwt_token_description: description, jwt_token_life: life });
