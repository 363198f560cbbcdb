import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";

export { startServer, TEST_FEED_KEY, TEST_MASTER_SECRET, type RunningServer } from "@tokensmith/testkit";

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
