import { spawn } from "node:child_process";
import fs from "node:fs";
import { load, json, basic, createBody } from "./load.mjs";
const PW = "bench-admin-password-123";
const kind = process.env.KIND ?? "get";
const dir = fs.mkdtempSync("/tmp/prof-db-");
const child = spawn("node", ["--liftoff-only", "--max-semi-space-size=8", "--max-old-space-size=512", "--cpu-prof", "--cpu-prof-dir=/tmp/prof", "--cpu-prof-interval=50", "apps/web/dist/server.js"], {
  cwd: "/work/main", env: { PATH: process.env.PATH, MALLOC_ARENA_MAX: "2", HOST: "127.0.0.1", PORT: "0", DATABASE_URL: `file:${dir}/p.db`, ADMIN_PASSWORD: PW }, stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve) => { let o = ""; child.stdout.on("data", (c) => { o += c; const m = /listening on (http:\/\/\S+)/.exec(o); if (m) resolve(m[1].replace("localhost", "127.0.0.1")); }); });
const server = { url, pid: child.pid };
const t = await json(`${server.url}/v1alpha/token/`, { method: "POST", headers: { authorization: basic("admin", PW), "content-type": "application/json" }, body: createBody("ab", "1 day") });
const bearer = { authorization: `Bearer ${t.jwt_token}` };
const p = {
  get: { url: `${server.url}/v1alpha/token/${t.jwt_token_id}`, headers: bearer },
  fa: { url: `${server.url}/v1alpha/forward-auth`, headers: { ...bearer, "x-original-method": "GET", "x-original-uri": "/api/orders/1?x=1" } },
  intro: { url: `${server.url}/v1alpha/introspect`, method: "POST", headers: { ...bearer, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token: t.jwt_token }).toString() },
}[kind];
await load("warm", { ...p, duration: 3 });
const r = await load(kind, { ...p, duration: 10 }, server.pid);
console.log(kind, r.rps, r.cpuMicros);
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
fs.rmSync(dir, { recursive: true });
