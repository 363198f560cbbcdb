import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";

/** The built production server (apps/web/dist/server.js): `pnpm build` comes first. */
const SERVER = fileURLToPath(new URL("../../../apps/web/dist/server.js", import.meta.url));
/** How `pnpm start` runs it: node with the production heap settings (it execs node, so the pid is the server's). */
const START_SCRIPT = fileURLToPath(new URL("../../../scripts/start.sh", import.meta.url));

export interface RunningServer {
  url: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

export const TEST_MASTER_SECRET = "test-master-secret-0123456789abcdef";
/** The revocation feed key every test server has (REVOCATION_FEED_KEYS), unless a test sets its own. */
export const TEST_FEED_KEY = "test-feed-key-0123456789abcdefghijklmnop";

/** Starts the real production server on a free port and waits until it says it listens. */
/**
 * `resolvConf`: the server sees this file as /etc/resolv.conf (a mount namespace of its own, via
 * `unshare -m`; root only), so a test can give it a DNS server of its choosing.
 */
export async function startServer(env: Record<string, string>, { startScript = false, resolvConf }: { startScript?: boolean; resolvConf?: string } = {}): Promise<RunningServer> {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`pnpm build\` first`);
  // PostgreSQL instances need the master secret given (every instance the same); SQLite keeps its file.
  const secret = /^postgres/.test(env.DATABASE_URL ?? "") ? { TOKENSMITH_SECRET: TEST_MASTER_SECRET } : {};
  const command = startScript ? ["bash", START_SCRIPT] : [process.execPath, SERVER];
  // unshare execs sh, which execs the server: the pid stays the server's.
  const isolated = resolvConf ? ["unshare", "-m", "sh", "-c", 'mount --bind "$0" /etc/resolv.conf && exec "$@"', resolvConf, ...command] : command;
  const child = spawn(isolated[0]!, isolated.slice(1), {
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", REVOCATION_FEED_KEYS: TEST_FEED_KEY, ...secret, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
  };
}

