// What running it as a service costs the hot path: the same GET against servers identical but for
// METRICS_PORT (the request histogram and Node's process metrics) and LOG_LEVEL (one JSON line per
// request), in paired rounds; plus the histogram's own cost per request, in process.
import { startTokensmith } from "./processes.mjs";
import { basic, createBody, DURATION, json, load, medianBy } from "./load.mjs";
import { ROUNDS } from "./paths.mjs";

const ROUND_SECONDS = Math.max(2, Math.round(DURATION * 0.3));

/** ns per observe of the histogram the server records requests in (the built @tokensmith/api). */
async function histogramNanos() {
  const { RequestHistogram } = await import("@tokensmith/api");
  const histogram = new RequestHistogram("bench_seconds", "bench");
  const groups = ["v1alpha.token", "trpc", "v1alpha.forward-auth", "dashboard"];
  const statuses = [200, 401, 403, 200];
  const run = (n) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) histogram.observe(groups[i & 3], statuses[i & 3], 0.0003 + (i & 7) * 0.001);
    return Number(process.hrtime.bigint() - start) / n;
  };
  run(200_000);
  return medianBy(Array.from({ length: 7 }, () => run(1_000_000)));
}

export async function measureOps({ ADMIN_PASSWORD, database }) {
  const variants = {
    // The baseline: no metrics served, no request lines (warnings still logged).
    quiet: { LOG_LEVEL: "warn" },
    metrics: { LOG_LEVEL: "warn", METRICS_PORT: "0" },
    logs: { LOG_LEVEL: "info" },
  };
  const servers = {};
  try {
    for (const [name, env] of Object.entries(variants)) {
      const server = await startTokensmith({ ADMIN_PASSWORD, ...env }, { database });
      servers[name] = server;
      const token = await json(`${server.url}/v1alpha/token/`, {
        method: "POST",
        headers: { authorization: basic("admin", ADMIN_PASSWORD), "content-type": "application/json" },
        body: createBody("ops bench", "1 day"),
      });
      server.target = { url: `${server.url}/v1alpha/token/${token.jwt_token_id}`, headers: { authorization: `Bearer ${token.jwt_token}` } };
    }
    for (const server of Object.values(servers)) await load("warm-up", { ...server.target, duration: 3 });
    const rounds = { quiet: [], metrics: [], logs: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // Each round in another order: the one loaded first is not always the one after a pause.
      const names = Object.keys(variants);
      const order = names.slice(round % names.length).concat(names.slice(0, round % names.length));
      for (const name of order) rounds[name].push(await load(name, { ...servers[name].target, duration: ROUND_SECONDS }, servers[name].pid));
    }
    const paired = (name) => {
      const each = rounds[name].map((run, i) => run.cpuMicros - rounds.quiet[i].cpuMicros);
      return { median: medianBy(each), low: Math.min(...each), high: Math.max(...each) };
    };
    return {
      cpuMicros: Object.fromEntries(Object.entries(rounds).map(([name, runs]) => [name, medianBy(runs.map((r) => r.cpuMicros))])),
      metricsDelta: paired("metrics"),
      logsDelta: paired("logs"),
      histogramNanos: await histogramNanos(),
    };
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
}
