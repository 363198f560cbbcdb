// How fast a revoke reaches many verifiers while the feed holds its revoked tokens: `count`
// verifiers, each in a process of its own (feed-watcher.mjs), watch `revokes` tokens; the tokens
// are revoked over REST one at a time, 100 ms apart; each latency runs from sending the DELETE to
// a verifier's first refusal (epoch clocks of one machine).
import { spawn } from "node:child_process";
import readline from "node:readline";
import { BENCH_FEED_KEY } from "./processes.mjs";
import { json } from "./load.mjs";

const WATCHER = new URL("./feed-watcher.mjs", import.meta.url).pathname;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function watcher(server, tokens) {
  const child = spawn(process.execPath, [WATCHER], {
    env: { PATH: process.env.PATH, ISSUER: server.url, FEED_KEY: BENCH_FEED_KEY, TOKENS: JSON.stringify(tokens) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const refusedAt = new Map();
  let watching;
  const started = new Promise((resolve) => (watching = resolve));
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    const event = JSON.parse(line);
    if (event.watching) watching();
    else refusedAt.set(event.token, event.refusedAt);
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  return { started, exited, refusedAt, kill: () => child.kill() };
}

export async function revokeReach(server, admin, { count, revokes }) {
  const body = JSON.stringify({ jwt_token_description: "reach", jwt_token_life: "1 hour" });
  const created = [];
  for (let i = 0; i < revokes; i++) {
    created.push(await json(`${server.url}/v1alpha/token/`, { method: "POST", headers: { authorization: admin, "content-type": "application/json" }, body }));
  }
  const watchers = Array.from({ length: count }, () => watcher(server, created.map((t) => t.jwt_token)));
  try {
    await Promise.race([Promise.all(watchers.map((w) => w.started)), sleep(180_000).then(() => Promise.reject(new Error("the watchers did not start")))]);
    const sentAt = [];
    for (const token of created) {
      sentAt.push(now());
      await json(`${server.url}/v1alpha/token/${token.jwt_token_id}`, { method: "DELETE", headers: { authorization: admin } });
      await sleep(100);
    }
    await Promise.race([Promise.all(watchers.map((w) => w.exited)), sleep(30_000)]);
    const latencies = [];
    let missed = 0;
    for (const w of watchers) {
      for (let i = 0; i < revokes; i++) {
        const at = w.refusedAt.get(i);
        if (at === undefined) missed++;
        else latencies.push(at - sentAt[i]);
      }
    }
    latencies.sort((a, b) => a - b);
    const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    return { verifiers: count, revokes, missed, medianMs: q(0.5), p99Ms: q(0.99), maxMs: latencies.at(-1) };
  } finally {
    for (const w of watchers) w.kill();
  }
}
