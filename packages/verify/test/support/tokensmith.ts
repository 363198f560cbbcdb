import http from "node:http";
import { createTestDatabase, freePort, startServer, TEST_FEED_KEY, type RunningServer, type TestDatabase } from "@tokensmith/testkit";

export const ADMIN_PASSWORD = "admin-password-1";
/** The feed key every test server has (REVOCATION_FEED_KEYS, set by the testkit): verifiers follow with it. */
export const FEED_KEY = TEST_FEED_KEY;
const ADMIN = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}`;

export interface IssuedToken {
  jwt_token: string;
  jwt_token_id: string;
  expires_at: string;
}

/**
 * The real Tokensmith server (apps/web/dist/server.js) on a database of its own, on a fixed port
 * so that it can be stopped and started again at the same issuer URL.
 */
export class Tokensmith {
  server!: RunningServer;
  private constructor(
    readonly database: TestDatabase,
    readonly port: number,
    private env: Record<string, string>,
  ) {}

  static async start(env: Record<string, string> = {}, database?: TestDatabase): Promise<Tokensmith> {
    const tokensmith = new Tokensmith(database ?? (await createTestDatabase()), await freePort(), env);
    await tokensmith.restart();
    return tokensmith;
  }

  get url(): string {
    return this.server.url;
  }

  get pid(): number {
    return this.server.process.pid!;
  }

  /** `env`: settings changed from here on (e.g. JWT_PROFILE), on the same database, port and issuer URL. */
  async restart(env: Record<string, string> = {}): Promise<void> {
    this.env = { ...this.env, ...env };
    this.server = await startServer({ DATABASE_URL: this.database.url, ADMIN_PASSWORD, PORT: String(this.port), ...this.env });
  }

  async stop(): Promise<void> {
    const child = this.server.process;
    if (child.exitCode !== null || child.signalCode !== null) return; // killed already
    await this.server.stop();
  }

  /** Gone at once, as in a crash: no shutdown, connections reset. */
  async kill(): Promise<void> {
    const child = this.server.process;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once("exit", resolve);
      child.kill("SIGKILL");
    });
  }

  async createToken(body: Record<string, unknown> = {}): Promise<IssuedToken> {
    const res = await this.api("POST", "/v1alpha/token/", { jwt_token_description: "verify test", jwt_token_life: "1 hour", ...body });
    if (res.status !== 201) throw new Error(`create token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as IssuedToken;
  }

  async revoke(id: string): Promise<void> {
    const res = await this.api("DELETE", `/v1alpha/token/${id}`);
    if (res.status !== 200) throw new Error(`revoke: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async rotateToken(id: string, overlap?: string): Promise<IssuedToken & { old_token_expires_at: string }> {
    const res = await this.api("POST", `/v1alpha/token/${id}/rotate`, overlap ? { overlap } : {});
    if (res.status !== 201) throw new Error(`rotate: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as IssuedToken & { old_token_expires_at: string };
  }

  async rotateKeys(): Promise<void> {
    const res = await this.api("POST", "/api/trpc/keys.rotate", {});
    if (res.status !== 200) throw new Error(`keys.rotate: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async api(method: string, path: string, body?: unknown, authorization = ADMIN): Promise<{ status: number; body: any }> {
    return fetchJson(`${this.url}${path}`, method, authorization, body);
  }
}

export async function fetchJson(url: string, method = "GET", authorization?: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (authorization) headers.authorization = authorization;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/**
 * A request whose path is sent exactly as written: fetch would resolve `..` and `%2e%2e` before
 * sending, and the point is to see what the server makes of them.
 */
export function rawGet(url: string, path: string, authorization?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method: "GET", headers: authorization ? { authorization } : {} }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true or `timeoutMs` passes; returns the ms it took, or throws. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 5): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await check()) return performance.now() - started;
    await sleep(everyMs);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

/** What `verify` settled with: the caller's username, or the refusal's status. */
export async function outcome(promise: Promise<{ username: string }>): Promise<string | number> {
  try {
    return (await promise).username;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number") return status;
    throw error;
  }
}
