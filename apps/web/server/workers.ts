import cluster, { type Worker } from "node:cluster";
import { flushLogs, log, type Config } from "@tokensmith/api";
import { serveMetrics } from "./metrics-server.js";
import { clusterMetrics } from "./worker-metrics.js";

/** After SHUTDOWN_TIMEOUT, a worker still has to write out its counts and close its database. */
const CLOSE_MARGIN_MS = 10_000;

/**
 * WORKERS=N: the primary process only supervises. By the time it forks, it has migrated the
 * database, made the first admin and the signing keys (one process, once), so workers start on a
 * current database and find a user. Workers share the port through node:cluster (the primary
 * accepts and hands connections round-robin); they share nothing else in memory — revocations,
 * password changes and rate limits go through the database, as between separate instances.
 */
export async function runWorkers(config: Config, database: string): Promise<void> {
  const count = config.workers;
  // Before any worker: the metrics port is the primary's (workers share only the service's port).
  const metricsServer = config.ops.metrics ? await serveMetrics(config.ops.metrics, clusterMetrics()) : undefined;
  let stopping = false;
  let exitCode = 0;
  const listening = new Set<number>();
  let announced = false;

  const fork = () => cluster.fork();
  cluster.on("listening", (worker: Worker, address) => {
    listening.add(worker.id);
    if (announced || listening.size < count) return;
    announced = true;
    // Tests and scripts wait for this line: it comes once every worker accepts connections.
    const pids = Object.values(cluster.workers ?? {}).map((w) => w?.process.pid);
    log.announce(`Tokensmith listening on http://localhost:${address.port} (database: ${database}, ${count} workers: ${pids.join(", ")})`);
  });
  cluster.on("exit", (worker, code, signal) => {
    const served = listening.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) exit(exitCode);
      return;
    }
    if (!served) {
      // It never started (bad configuration, unreachable database): another would fail the same way.
      log.error(`[workers] worker ${worker.process.pid} exited (${signal ?? code}) before listening; stopping`);
      exitCode = 1;
      stop("SIGTERM");
      return;
    }
    // A worker that died is replaced: the others kept serving meanwhile.
    log.error(`[workers] worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  for (let i = 0; i < count; i++) fork();

  function stop(signal: NodeJS.Signals): void {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping ${count} workers`);
    metricsServer?.close();
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) exit(exitCode);
    // Each worker shuts down gracefully (its own SIGTERM handler: requests finish, counts are written).
    for (const worker of workers) worker.process.kill("SIGTERM");
    setTimeout(() => {
      log.error(`${signal}: workers still running after ${(config.ops.shutdownTimeoutMs + CLOSE_MARGIN_MS) / 1000} s; killing them`);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
      exit(1);
    }, config.ops.shutdownTimeoutMs + CLOSE_MARGIN_MS).unref();
  }
  function exit(code: number): void {
    void flushLogs().then(() => process.exit(code));
  }
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
