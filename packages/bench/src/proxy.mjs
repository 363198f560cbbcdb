// Through nginx (issue 28, point 3): the same upstream behind one real nginx, with and without
// `auth_request` to Tokensmith's forward auth, with the shipped configuration
// (deploy/nginx/forward-auth.conf, ports filled in, as the forward-auth tests do), in paired
// rounds. Run alone: `node packages/bench/src/proxy.mjs` (BENCH_DATABASE, BENCH_ROUNDS apply).
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { startNginx } from "@tokensmith/testkit";
import { basic, createBody, DURATION, fmt, json, load, medianBy } from "./load.mjs";
import { ROUNDS } from "./paths.mjs";
import { cpuSeconds, startBareHttp, startTokensmith } from "./processes.mjs";

const SHIPPED = fileURLToPath(new URL("../../../deploy/nginx/forward-auth.conf", import.meta.url));
const ROUND_SECONDS = Math.max(2, Math.round(DURATION * 0.3));
const ADMIN_PASSWORD = "bench-proxy-admin-password";

/**
 * The shipped server block, ports filled in, plus `/open/`: the same upstream through the same
 * nginx with no `auth_request` — the unprotected figure the protected one is divided by.
 */
export function benchConfig(shipped, tokensmithHost, apiHost) {
  const config = shipped
    .replace("listen 80;", "listen 127.0.0.1:{{port}};")
    .replaceAll("127.0.0.1:3000", tokensmithHost)
    .replaceAll("127.0.0.1:8080", apiHost);
  const open = `    location /open/ {\n        proxy_pass http://${apiHost};\n    }\n\n    location / {`;
  if (!config.includes("    location / {")) throw new Error(`${SHIPPED} has no \`location / {\` to put the unprotected one beside`);
  return config.replace("    location / {", open);
}

/** CPU seconds of each process, before and after `fn`, as µs per request of its result. */
async function measured(pids, fn) {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const result = await fn();
  const cpu = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, ((cpuSeconds(pid) - before[name]) * 1e6) / result.total]));
  return { ...result, cpu };
}

/** `env`: extra settings for the Tokensmith server (a before/after of one of them). */
export async function proxyScenario({ database = "sqlite", log = console.log, env = {}, shipped = fs.readFileSync(SHIPPED, "utf8") } = {}) {
  const server = await startTokensmith({ ADMIN_PASSWORD, TRUST_PROXY: "1", ...env }, { database });
  const upstream = await startBareHttp(JSON.stringify({ id: 1, status: "shipped", items: [{ sku: "A-1", quantity: 2 }] }));
  let nginx;
  try {
    const token = await json(`${server.url}/v1alpha/token/`, {
      method: "POST",
      headers: { authorization: basic("admin", ADMIN_PASSWORD), "content-type": "application/json" },
      body: createBody("proxy bench", "1 day"),
    });
    nginx = await startNginx(benchConfig(shipped, new URL(server.url).host, new URL(upstream.url).host));
    const pids = { nginx: nginx.pid(), tokensmith: server.pid, upstream: upstream.pid };
    const targets = {
      open: { url: `${nginx.url}/open/orders/1` },
      protected: { url: `${nginx.url}/api/orders/1`, headers: { authorization: `Bearer ${token.jwt_token}` } },
    };
    for (const opts of Object.values(targets)) await load("warm-up", { ...opts, duration: 3 });
    const rounds = { open: [], protected: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first: the one after a pause is not always the same.
      const order = round % 2 ? ["protected", "open"] : ["open", "protected"];
      for (const name of order) rounds[name].push(await measured(pids, () => load(`nginx ${name}`, { ...targets[name], duration: ROUND_SECONDS })));
    }
    const paired = (fn) => {
      const each = rounds.open.map((open, i) => fn(rounds.protected[i], open));
      return { median: medianBy(each), low: Math.min(...each), high: Math.max(...each) };
    };
    const result = {
      open: medianBy(rounds.open, (r) => r.rps),
      protected: medianBy(rounds.protected, (r) => r.rps),
      rpsRatio: paired((p, o) => p.rps / o.rps),
      p99AddedMs: paired((p, o) => p.p99 - o.p99),
      rounds,
    };
    const range = (r, digits, unit = "") => `${fmt(r.median, digits)}${unit} (rounds ${fmt(r.low, digits)}–${fmt(r.high, digits)})`;
    const cpuText = (r) => Object.entries(r.cpu).map(([name, micros]) => `${name} ${fmt(micros, 1)}`).join(", ");
    log(`\nThrough nginx (${SHIPPED.split("/").slice(-3).join("/")}), the same upstream, ${ROUNDS} paired rounds of ${ROUND_SECONDS} s:`);
    log(`${"".padEnd(30)}   req/s   p50     p99   CPU µs/request`);
    for (const name of ["open", "protected"]) {
      const r = result[name];
      log(`${(name === "open" ? "without auth_request" : "with auth_request").padEnd(30)}${fmt(r.rps).padStart(8)} ${String(r.p50).padStart(3)} ms ${String(r.p99).padStart(3)} ms   ${cpuText(r)}`);
    }
    log(`protected req/s ÷ unprotected: ${range(result.rpsRatio, 2)}; p99 added: ${range(result.p99AddedMs, 1, " ms")}`);
    return result;
  } finally {
    nginx?.stop();
    await upstream.stop();
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await proxyScenario({ database: process.env.BENCH_DATABASE === "postgres" ? "postgres" : "sqlite" });
  if (process.argv.includes("--json")) console.log(JSON.stringify({ ...result, rounds: undefined }, null, 2));
}
