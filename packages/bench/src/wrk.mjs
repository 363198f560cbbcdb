// The same load as load.mjs's, with wrk (C, event loop per thread, keep-alive, no pipelining)
// instead of autocannon: the two generators disagreed on what a request costs the server.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CONNECTIONS, DURATION } from "./load.mjs";
import { cpuSeconds } from "./processes.mjs";

/** A Lua script setting the request's method, headers and body (wrk's own way to send a POST). */
function script(opts) {
  const lines = [`wrk.method = ${JSON.stringify(opts.method ?? "GET")}`];
  for (const [name, value] of Object.entries(opts.headers ?? {})) lines.push(`wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
  if (opts.body) lines.push(`wrk.body = ${JSON.stringify(opts.body)}`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-wrk-")), "request.lua");
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`wrk exited with ${code}:\n${output}`))));
  });
}

/** Milliseconds from wrk's "1.23ms" / "456.00us" / "1.10s". */
function millis(text) {
  const match = /([\d.]+)(us|ms|s)/.exec(text ?? "");
  if (!match) return NaN;
  return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]];
}

/** Same result shape as load.mjs's `load` (rps, p50, p99 in ms, total, cpuMicros of `pid`). */
export async function loadWithWrk(title, opts, pid) {
  const file = script(opts);
  try {
    const cpuBefore = pid ? cpuSeconds(pid) : NaN;
    const output = await run(["-t2", `-c${CONNECTIONS}`, `-d${opts.duration ?? DURATION}s`, "--latency", "-s", file, opts.url]);
    const total = Number(/(\d+) requests in/.exec(output)?.[1]);
    const cpuMicros = pid ? ((cpuSeconds(pid) - cpuBefore) * 1e6) / total : NaN;
    const bad = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0) + Number(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)?.slice(1).reduce((a, b) => a + Number(b), 0) ?? 0);
    if (!(total > 0) || bad > 0) throw new Error(`${title}: ${bad} failed requests under wrk:\n${output}`);
    return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]), p50: millis(/50%\s+(\S+)/.exec(output)?.[1]), p99: millis(/99%\s+(\S+)/.exec(output)?.[1]), total, cpuMicros };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
