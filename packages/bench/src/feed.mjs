// The revocation feed at scale: BENCH_FEED_REVOKED (100,000) revoked, unexpired tokens — lineages
// of 10,000 (MAX_TOKENS_PER_USER's default: what one user may have), each a token and its children
// seeded into the store, each revoked over REST by revoking that token — and new verifiers
// following it: the bytes they are sent, the time until each is ready, the memory it holds, and
// the server's memory while BENCH_FEED_VERIFIERS (10) take it at once, then how fast a revoke reaches
// those verifiers (feed-reach.mjs). Printed, never asserted.
import { spawn } from "node:child_process";
import { openDatabase } from "@tokensmith/db";
import { seedTokens } from "@tokensmith/testkit";
import { BENCH_FEED_KEY, cpuSeconds, residentBytes, startTokensmith } from "./processes.mjs";
import { basic, fmt, json, medianBy } from "./load.mjs";
import { revokeReach } from "./feed-reach.mjs";

const REVOKED = Number(process.env.BENCH_FEED_REVOKED ?? 100_000);
const LINEAGE = 10_000;
const AT_ONCE = Number(process.env.BENCH_FEED_VERIFIERS ?? 10);
const ROUNDS = 3;
/** Tokens revoked one by one while AT_ONCE verifiers watch them. */
const REACH_REVOKES = Number(process.env.BENCH_FEED_REACH_REVOKES ?? 20);
const MB = 2 ** 20;
const FOLLOWER = new URL("./feed-follower.mjs", import.meta.url).pathname;

/** A new verifier in a child process, until it is ready: its one JSON line. */
function newVerifier(server) {
  const child = spawn(process.execPath, ["--expose-gc", FOLLOWER], {
    env: { PATH: process.env.PATH, ISSUER: server.url, FEED_KEY: BENCH_FEED_KEY },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.on("exit", (code) => {
      const line = output.trim().split("\n").pop();
      if (code !== 0) return reject(new Error(`the verifier exited with ${code}:\n${output}`));
      const result = JSON.parse(line);
      if (!result.ready) return reject(new Error(`the verifier was not ready: ${line}`));
      resolve(result);
    });
  });
}

/** Resident memory of `pid`, sampled every 50 ms while `work` runs (before, highest, after), and the CPU it used. */
async function serverDuring(pid, work) {
  const before = residentBytes(pid);
  const cpuBefore = cpuSeconds(pid);
  let highest = before;
  const sampler = setInterval(() => (highest = Math.max(highest, residentBytes(pid))), 50);
  try {
    const result = await work();
    return { result, before, highest, after: residentBytes(pid), cpuMs: (cpuSeconds(pid) - cpuBefore) * 1000 };
  } finally {
    clearInterval(sampler);
  }
}

export async function feedScenario(database, log) {
  const adminPassword = "bench-admin-password";
  const server = await startTokensmith({ ADMIN_PASSWORD: adminPassword, MAX_TOKENS_PER_USER: "10000000" }, { database });
  const results = { revoked: REVOKED };
  try {
    const admin = basic("admin", adminPassword);
    const body = JSON.stringify({ jwt_token_description: "feed parent", jwt_token_life: "1 day" });
    const parents = [];
    const opened = await openDatabase(server.databaseUrl);
    try {
      for (let left = REVOKED; left > 0; left -= LINEAGE) {
        const parent = await json(`${server.url}/v1alpha/token/`, { method: "POST", headers: { authorization: admin, "content-type": "application/json" }, body });
        const row = await opened.db.accessToken.findUniqueOrThrow({ where: { id: parent.jwt_token_id } });
        const children = Math.min(LINEAGE, left) - 1;
        if (children > 0) await seedTokens(opened.db, database === "postgres", { userId: row.userId, count: children, expiresAt: row.expiresAt.getTime(), parentId: row.id });
        parents.push(parent.jwt_token_id);
      }
    } finally {
      await opened.close();
    }

    const revokes = [];
    for (const id of parents) {
      const each = performance.now();
      await json(`${server.url}/v1alpha/token/${id}`, { method: "DELETE", headers: { authorization: admin } });
      revokes.push(performance.now() - each);
    }
    results.revokeMs = medianBy(revokes);
    // The first verifier also waits for the server to read the burst into its copy of the feed.
    const started = performance.now();
    const first = await newVerifier(server);
    results.firstReadyMs = performance.now() - started;
    if (first.revoked < REVOKED) throw new Error(`the first verifier holds ${first.revoked} revocations, not ${REVOKED}`);

    const runs = [];
    for (let i = 0; i < ROUNDS; i++) {
      const one = await serverDuring(server.pid, () => newVerifier(server));
      runs.push({ ...one.result, serverCpuMs: one.cpuMs });
    }
    const median = medianBy(runs, (run) => run.readyMs);
    results.newVerifier = median;
    const together = await serverDuring(server.pid, () => Promise.all(Array.from({ length: AT_ONCE }, () => newVerifier(server))));
    results.together = {
      slowestReadyMs: Math.max(...together.result.map((run) => run.readyMs)),
      serverCpuMs: together.cpuMs,
      serverRss: { before: together.before, highest: together.highest, after: together.after },
    };
    results.reach = await revokeReach(server, admin, { count: AT_ONCE, revokes: REACH_REVOKES });

    log(`\nRevocation feed with ${fmt(REVOKED)} revoked, unexpired tokens (${parents.length} lineages of up to ${fmt(LINEAGE)}, each revoked over REST in ${fmt(results.revokeMs / 1000, 1)} s, median):`);
    log(`  snapshot:                     ${fmt(median.snapshotBytes / MB, 1)} MiB (${fmt(median.snapshotBytes / REVOKED, 0)} bytes per entry)`);
    log(`  a new verifier is ready in:   ${fmt(median.readyMs)} ms (median of ${ROUNDS}; ${runs.map((run) => fmt(run.readyMs)).join(", ")} ms); the first, right after the revoke: ${fmt(results.firstReadyMs)} ms`);
    log(`    CPU for it:                 verifier ${fmt(median.cpuMs)} ms, server ${fmt(median.serverCpuMs)} ms (wall time above this is waiting for a core)`);
    log(`  the verifier's memory:        ${fmt(median.heapBytes / MB, 1)} MiB of heap for ${fmt(median.revoked)} entries (${fmt(median.heapBytes / median.revoked, 0)} bytes each), ${fmt(median.rssBytes / MB)} MiB resident`);
    log(`  ${AT_ONCE} new verifiers at once:     all ready within ${fmt(results.together.slowestReadyMs)} ms, server CPU ${fmt(together.cpuMs)} ms; server resident ${fmt(together.before / MB)} MiB before, ${fmt(together.highest / MB)} MiB at most, ${fmt(together.after / MB)} MiB after`);
    const reach = results.reach;
    log(`  a revoke reaches ${reach.verifiers} verifiers:  median ${fmt(reach.medianMs, 1)} ms, p99 ${fmt(reach.p99Ms, 1)} ms, max ${fmt(reach.maxMs, 1)} ms from sending the DELETE (${reach.revokes} revokes × ${reach.verifiers} verifiers${reach.missed ? `; ${reach.missed} never refused` : ""})`);
  } finally {
    await server.stop();
  }
  return results;
}
