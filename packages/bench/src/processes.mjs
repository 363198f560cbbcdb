// Child processes the benchmark measures: the real production server, and a bare node:http server.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startPostgresCluster } from "@tokensmith/testkit";

const SERVER = fileURLToPath(new URL("../../../apps/web/dist/server.js", import.meta.url));
/** How `pnpm start` runs it (heap sizing included): what is measured is what is deployed. */
const START = fileURLToPath(new URL("../../../scripts/start.sh", import.meta.url));

/**
 * Resolves with the first match of `pattern` in the child's output. Only the last 64 KiB are kept
 * (for the error message): a server logs a line per request, and a benchmark that kept every line,
 * matching the whole text again at each chunk, spent more CPU than the server it measured.
 */
function waitForLine(child, pattern, what) {
  let output = "";
  let found = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output = (output + chunk.toString()).slice(-65_536);
      if (found) return;
      const match = pattern.exec(output);
      if (match) {
        found = true;
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${what} exited with ${code}:\n${output}`)));
  });
}

const stopper = (child) => () =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

/** A process and its descendants (WORKERS=N: the primary and its workers), from /proc (Linux). */
export function processTree(pid) {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      const children = fs.readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, "utf8").trim();
      if (children) pids.push(...children.split(" ").map(Number));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** CPU seconds (user + system) a process and its descendants have used so far, from /proc (Linux). */
export function cpuSeconds(pid) {
  try {
    let total = 0;
    for (const each of processTree(pid)) {
      const fields = fs.readFileSync(`/proc/${each}/stat`, "utf8").split(") ")[1].split(" ");
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    }
    return total;
  } catch {
    return NaN;
  }
}

/** Resident memory (bytes) of a process and its descendants, from /proc (Linux). */
export function residentBytes(pid) {
  let total = 0;
  for (const each of processTree(pid)) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${each}/status`, "utf8"));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}

/** The revocation feed key the benchmark's servers have (REVOCATION_FEED_KEYS) and its verifiers follow with. */
export const BENCH_FEED_KEY = "bench-feed-key-0123456789abcdefghijklmnop";

/**
 * The built Tokensmith server on a fresh database: a SQLite file in a temp folder, or
 * (BENCH_DATABASE=postgres) a database in a throwaway PostgreSQL cluster.
 */
export async function startTokensmith(env = {}, { database = "sqlite", reuse = null } = {}) {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`pnpm build\` first`);
  // `reuse`: another server's database (a restart), left for that server's stop() to remove.
  const dir = reuse ? null : fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-bench-"));
  // Synced to disk at each commit, as a deployment's PostgreSQL is (and as SQLite is here).
  const cluster = !reuse && database === "postgres" ? await startPostgresCluster({ durable: true }) : null;
  const databaseUrl = reuse ? reuse.databaseUrl : cluster ? cluster.url() : `file:${path.join(dir, "bench.db")}`;
  if (reuse && database === "postgres" && !env.TOKENSMITH_SECRET) env = { ...env, TOKENSMITH_SECRET: "bench-master-secret-0123456789abcdef" };
  // PostgreSQL has no file to keep a generated master secret next to: it must be given.
  const secret = cluster && !env.TOKENSMITH_SECRET ? { TOKENSMITH_SECRET: "bench-master-secret-0123456789abcdef" } : {};
  // The one server setting a run may change from outside: the memory scenario's caches.
  const cache = process.env.TOKEN_CACHE_ENTRIES ? { TOKEN_CACHE_ENTRIES: process.env.TOKEN_CACHE_ENTRIES } : {};
  // start.sh execs node: the child's pid is the server's.
  const child = spawn("bash", [START], {
    env: { PATH: process.env.PATH, HOST: "127.0.0.1", PORT: "0", DATABASE_URL: databaseUrl, REVOCATION_FEED_KEYS: BENCH_FEED_KEY, ...secret, ...cache, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stop = stopper(child);
  let url;
  try {
    [, url] = await waitForLine(child, /listening on (http:\/\/\S+)/, "Tokensmith");
  } catch (error) {
    // A server that did not start must not leave its cluster or folder behind.
    await stop();
    cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: url.replace("localhost", "127.0.0.1"),
    pid: child.pid,
    databaseUrl,
    /** Ends the process only: its database stays (for a restart with `reuse`). */
    stopProcess: stop,
    stop: async () => {
      await stop();
      cluster?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The ceiling for any Node server here: node:http answering a fixed JSON body, in its own process.
 * `readBody`: it first reads the request's whole body, as any server answering a POST must (the
 * floor for introspection, whose form body Node itself charges for).
 */
export async function startBareHttp(body, { readBody = false } = {}) {
  const answer = `res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": body.length }); res.end(body);`;
  const handle = readBody
    ? `const chunks = []; req.on("data", (chunk) => chunks.push(chunk)); req.on("end", () => { Buffer.concat(chunks).toString("utf8"); ${answer} });`
    : answer;
  const code = `
    const body = Buffer.from(process.env.BODY);
    require("node:http").createServer((req, res) => { ${handle} })
      .listen(0, "127.0.0.1", function () { console.log("bare listening on http://127.0.0.1:" + this.address().port); });`;
  const child = spawn(process.execPath, ["-e", code], {
    env: { PATH: process.env.PATH, BODY: body },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [, url] = await waitForLine(child, /listening on (http:\/\/\S+)/, "bare node:http");
  return { url, pid: child.pid, stop: stopper(child) };
}
