// The three authenticated paths a deployment serves most, against bare node:http doing the same
// exchange, in paired rounds: each round loads every server once, in turn, so a busy moment of the
// shared machine weighs on a path and on the bare server it is compared with alike.
import { DURATION, json, load, medianBy } from "./load.mjs";
import { startBareHttp } from "./processes.mjs";

/**
 * BENCH_ROUNDS (default 5): rounds of loads; each load lasts 3/10 of BENCH_DURATION (3 s by
 * default, at least 2 s). Many short rounds over one long load each: the neighbours' load on this
 * shared machine comes and goes within seconds, and a median of paired rounds leaves it out.
 */
export const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const ROUND_SECONDS = Math.max(2, Math.round(DURATION * 0.3));

export const introspection = (url, token) => ({
  url,
  method: "POST",
  headers: { authorization: `Bearer ${token.jwt_token}`, "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ token: token.jwt_token }).toString(),
});

/**
 * Per path: the figures of its median round by CPU per request, and every round's. Per ratio
 * (bare ÷ path): the median of the rounds' own ratios, and their lowest and highest. `loader`:
 * load.mjs's autocannon load, or wrk.mjs's.
 */
export async function measurePaths(server, token, { loader = load } = {}) {
  const bearer = { authorization: `Bearer ${token.jwt_token}` };
  const sample = JSON.stringify(await json(`${server.url}/v1alpha/token/${token.jwt_token_id}`, { headers: bearer }));
  const introspected = JSON.stringify(await json(`${server.url}/v1alpha/introspect`, introspection(`${server.url}/v1alpha/introspect`, token)));
  const bare = await startBareHttp(sample);
  // The same exchange as introspection (headers, form body read, answer) in bare node:http.
  const barePost = await startBareHttp(introspected, { readBody: true });
  try {
    const targets = {
      get: [{ url: `${server.url}/v1alpha/token/${token.jwt_token_id}`, headers: bearer }, server.pid],
      forwardAuth: [{ url: `${server.url}/v1alpha/forward-auth`, headers: { ...bearer, "x-original-method": "GET", "x-original-uri": "/api/orders/1?x=1" } }, server.pid],
      introspection: [introspection(`${server.url}/v1alpha/introspect`, token), server.pid],
      bare: [{ url: bare.url }, bare.pid],
      barePost: [introspection(barePost.url, token), barePost.pid],
    };
    // Every path warmed before any is measured: the server's CPU time includes V8's optimizing
    // compiler threads, which a path measured right after a short warm-up was still paying for.
    for (const [opts] of Object.values(targets)) await loader("warm-up", { ...opts, duration: 3 });
    const rounds = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, [opts, pid]] of Object.entries(targets)) rounds[name].push(await loader(name, { ...opts, duration: ROUND_SECONDS }, pid));
    }
    const paths = {};
    for (const [name, runs] of Object.entries(rounds)) paths[name] = { ...medianBy(runs, (run) => run.cpuMicros), rounds: runs };
    const ratio = (ceiling, path) => {
      const each = rounds[ceiling].map((run, i) => run.cpuMicros / rounds[path][i].cpuMicros);
      return { median: medianBy(each), low: Math.min(...each), high: Math.max(...each) };
    };
    const ratios = {
      get: ratio("bare", "get"),
      forwardAuth: ratio("bare", "forwardAuth"),
      introspection: ratio("bare", "introspection"),
      /** Against the same POST exchange in bare node:http (4b): reading a body costs Node itself. */
      introspectionVsBarePost: ratio("barePost", "introspection"),
    };
    return { paths, ratios, sampleBytes: sample.length, roundSeconds: ROUND_SECONDS };
  } finally {
    await bare.stop();
    await barePost.stop();
  }
}
