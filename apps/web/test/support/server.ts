import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";

const SERVER = fileURLToPath(new URL("../../dist/server.js", import.meta.url));

export interface RunningServer {
  url: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

export const TEST_MASTER_SECRET = "test-master-secret-0123456789abcdef";

/** Starts the real production server on a free port and waits until it says it listens. */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`pnpm build\` first`);
  // PostgreSQL instances need the master secret given (every instance the same); SQLite keeps its file.
  const secret = /^postgres/.test(env.DATABASE_URL ?? "") ? { TOKENSMITH_SECRET: TEST_MASTER_SECRET } : {};
  const child = spawn(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", ...secret, ...env },
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

/**
 * A fresh, empty database for one server: a SQLite file, or (TOKENSMITH_TEST_DATABASE=postgres) a
 * new database in the test cluster. The throwaway cluster and temp folders go with the run.
 */
export const testDatabase = (): Promise<TestDatabase> => createTestDatabase();

export const basicAuth = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function request<T = any>(
  url: string,
  init: { method?: string; auth?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth) headers.authorization = init.auth;
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] = "application/json";
  }
  const response = await fetch(url, { method: init.method ?? "GET", headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (HTML pages): the text is enough.
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}
