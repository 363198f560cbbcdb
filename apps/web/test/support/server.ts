import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";

export { startServer, TEST_FEED_KEY, TEST_MASTER_SECRET, type RunningServer } from "@tokensmith/testkit";

/**
 * A fresh, empty database for one server: a SQLite file, or (TOKENSMITH_TEST_DATABASE=postgres) a
 * new database in the test cluster. The throwaway cluster and temp folders go with the run.
 */
export const testDatabase = (): Promise<TestDatabase> => createTestDatabase();

/** A line of the server's log as the record it is (JSON lines), or null for anything else it printed. */
export function logRecord(line: string): Record<string, unknown> | null {
  if (!line.startsWith("{")) return null;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Every log record the server wrote so far. */
export const logRecords = (output: string): Record<string, unknown>[] =>
  output.split("\n").flatMap((line) => {
    const record = logRecord(line);
    return record ? [record] : [];
  });

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

/** `Bearer …` for a new one-hour token limited to GET /api/orders/*, made by `auth` (the reverse-proxy tests' client). */
export async function ordersOnlyBearer(serverUrl: string, auth: string): Promise<string> {
  const res = await request<{ jwt_token: string }>(`${serverUrl}/v1alpha/token/`, {
    method: "POST",
    auth,
    body: { jwt_token_description: "orders client", jwt_token_life: "1 hour", jwt_token_endpoints: ["GET /api/orders/*"] },
  });
  if (res.status !== 201) throw new Error(`token create: ${res.status} ${res.text}`);
  return `Bearer ${res.body.jwt_token}`;
}
