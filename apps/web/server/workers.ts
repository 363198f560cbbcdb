import cluster, { type Worker } from "node:cluster";

/**
 * WORKERS=N: the primary process only supervises. By the time it forks, it has migrated the
 * database, made the first admin and the signing keys (one process, once), so workers start on a
 * current database and find a user. Workers share the port through node:cluster (the primary
 * accepts and hands connections round-robin); they share nothing else in memory — revocations,
 * password changes and rate limits go through the database, as between separate instances.
 */
export function runWorkers(count: number, database: string): void {
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
    console.log(`Tokensmith listening on http://localhost:${address.port} (database: ${database}, ${count} workers: ${pids.join(", ")})`);
  });
  cluster.on("exit", (worker, code, signal) => {
    const served = listening.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    if (!served) {
      // It never started (bad configuration, unreachable database): another would fail the same way.
      console.error(`[workers] worker ${worker.process.pid} exited (${signal ?? code}) before listening; stopping`);
      exitCode = 1;
      stop("SIGTERM");
      return;
    }
    // A worker that died is replaced: the others kept serving meanwhile.
    console.error(`[workers] worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  for (let i = 0; i < count; i++) fork();

  function stop(signal: NodeJS.Signals): void {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping ${count} workers`);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(exitCode);
    // Each worker finishes its requests and closes its database (its own SIGTERM handler).
    for (const worker of workers) worker.process.kill("SIGTERM");
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
      process.exit(1);
    }, 10_000).unref();
  }
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
