import { spawn } from "node:child_process";
import { load } from "./load.mjs";
const body = JSON.stringify({ active: true, sub: "x".repeat(36), username: "admin", jti: "y".repeat(36), iat: 1, exp: 2, iss: "http://127.0.0.1:3000", token_type: "Bearer", jwt_token_endpoints: null });
async function start(code) {
  const child = spawn(process.execPath, ["-e", code], { env: { PATH: process.env.PATH, BODY: body }, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((r) => child.stdout.on("data", (c) => { const m = /on (http:\S+)/.exec(String(c)); if (m) r(m[1]); }));
  return { url, pid: child.pid, stop: () => child.kill() };
}
const head = `const body = Buffer.from(process.env.BODY); require("node:http").createServer((req, res) => {`;
const tail = `}).listen(0, "127.0.0.1", function () { console.log("on http://127.0.0.1:" + this.address().port); });`;
const get = await start(`${head} res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": body.length }); res.end(body); ${tail}`);
const post = await start(`${head} const chunks = []; req.on("data", (c) => chunks.push(c)); req.on("end", () => { const raw = Buffer.concat(chunks).toString(); res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": body.length }); res.end(body); }); ${tail}`);
const jwt = "eyJhbGciOiJFUzI1NiIsImtpZCI6IjEyMyJ9." + "a".repeat(300) + "." + "b".repeat(86);
const introShape = (url) => ({ url, method: "POST", headers: { authorization: `Bearer ${jwt}`, "content-type": "application/x-www-form-urlencoded" }, body: `token=${jwt}` });
const res = { get: [], getAuth: [], post: [] };
for (let r = 0; r < Number(process.env.ROUNDS ?? 3); r++) {
  res.get.push((await load("g", { url: get.url }, get.pid)).cpuMicros);
  res.getAuth.push((await load("ga", { url: get.url, headers: { authorization: `Bearer ${jwt}` } }, get.pid)).cpuMicros);
  res.post.push((await load("p", introShape(post.url), post.pid)).cpuMicros);
  console.log(r, res.get.at(-1).toFixed(1), res.getAuth.at(-1).toFixed(1), res.post.at(-1).toFixed(1));
}
get.stop(); post.stop();
