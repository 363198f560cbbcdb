import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temp folder, on a free
 * port, as the `postgres` user when we are root (PostgreSQL refuses to run as root). Debian's
 * binaries live in /usr/lib/postgresql/<version>/bin; scripts/lib.sh installs them when missing.
 */
export interface PostgresCluster {
  /** postgresql://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  port: number;
  dataDir: string;
  /** Stops the server, fast; the data folder is removed. */
  stop(): void;
  /** Stops the server but keeps its data, so that `start` brings it back (fault tests). */
  halt(): void;
  start(): void;
}

function binDir(): string {
  const base = "/usr/lib/postgresql";
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, "bin", "initdb"))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error("PostgreSQL is not installed (Debian: apt-get install postgresql); `npm test` installs it");
  return path.join(base, newest, "bin");
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A throwaway cluster. Tests skip syncing to disk (speed); `durable` keeps PostgreSQL's defaults
 * for it (fsync, synchronous_commit), as a deployment runs: what `pnpm bench` measures.
 */
export async function startPostgresCluster({ durable = false }: { durable?: boolean } = {}): Promise<PostgresCluster> {
  const bin = binDir();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-pg-"));
  const dataDir = path.join(root, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["postgres", root]);
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? ["runuser", "-u", "postgres", "--", path.join(bin, tool), ...args] : [path.join(bin, tool), ...args];
    const result = spawnSync(command[0]!, command.slice(1), { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout}`);
  };
  const port = await freePort();
  run("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  // Enough connections for several instances and their pools.
  const noSync = durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1${noSync} -c max_connections=300`;
  const start = () => run("pg_ctl", ["-D", dataDir, "-l", path.join(root, "log"), "-w", "-o", options, "start"]);
  const stop = () => run("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
  start();
  return {
    url: (database = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    port,
    dataDir,
    stop() {
      try {
        stop();
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
    halt: stop,
    start,
  };
}
