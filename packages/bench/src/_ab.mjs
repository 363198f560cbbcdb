// temp: interleaved A/B of CPU/request. BASE=/tmp/base.
import { startTokensmith, startBareHttp } from "./processes.mjs";
import { load, json, basic, createBody } from "./load.mjs";
const base = await import(process.env.BASE + "/packages/bench/src/processes.mjs");
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const PW = "bench-admin-password-123";
const database = process.env.BENCH_DATABASE ?? "sqlite";
async function setup(start, name) {
  const server = await start({ ADMIN_PASSWORD: PW }, { database });
  const t = await json(`${server.url}/v1alpha/token/`, { method: "POST", headers: { authorization: basic("admin", PW), "content-type": "application/json" }, body: createBody("ab", "1 day") });
  return { name, server, t };
}
const servers = [await setup(base.startTokensmith, "base"), await setup(startTokensmith, "new")];
const sample = JSON.stringify(await json(`${servers[0].server.url}/v1alpha/token/${servers[0].t.jwt_token_id}`, { headers: { authorization: `Bearer ${servers[0].t.jwt_token}` } }));
const bare = await startBareHttp(sample);
const paths = (s) => {
  const bearer = { authorization: `Bearer ${s.t.jwt_token}` };
  return {
    get: { url: `${s.server.url}/v1alpha/token/${s.t.jwt_token_id}`, headers: bearer },
    fa: { url: `${s.server.url}/v1alpha/forward-auth`, headers: { ...bearer, "x-original-method": "GET", "x-original-uri": "/api/orders/1?x=1" } },
    intro: { url: `${s.server.url}/v1alpha/introspect`, method: "POST", headers: { ...bearer, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token: s.t.jwt_token }).toString() },
  };
};
if (process.env.PIN === "1") {
  const { execFileSync } = await import("node:child_process");
  execFileSync("taskset", ["-a", "-p", "-c", "0", String(process.pid)]);
  for (const pid of [bare.pid, ...servers.map((s) => s.server.pid)]) execFileSync("taskset", ["-a", "-p", "-c", "1", String(pid)]);
}
const res = {};
const kinds = (process.env.KINDS ?? "get,fa,intro").split(",");
for (const s of servers) for (const k of kinds) await load("warm", { ...paths(s)[k], duration: 2 });
await load("warm", { url: bare.url, duration: 2 });
for (let r = 0; r < ROUNDS; r++) {
  const b = await load("bare", { url: bare.url }, bare.pid);
  (res.bare ??= []).push(b.cpuMicros);
  for (const k of kinds) for (const s of (r % 2 ? [...servers].reverse() : servers)) {
    const x = await load(k, paths(s)[k], s.server.pid);
    (res[`${s.name}.${k}`] ??= []).push(x.cpuMicros);
  }
  console.log(r, Object.fromEntries(Object.entries(res).map(([k, v]) => [k, v.at(-1).toFixed(1)])));
}
const med = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const bm = med(res.bare);
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(12), med(v).toFixed(1), "µs  ratio", (bm / med(v)).toFixed(2));
for (const k of kinds) console.log(`paired new-base ${k}:`, med(res[`new.${k}`].map((x, i) => x - res[`base.${k}`][i])).toFixed(2), "µs; per round", res[`new.${k}`].map((x, i) => (x - res[`base.${k}`][i]).toFixed(1)).join(" "));
await bare.stop();
for (const s of servers) await s.server.stop();
