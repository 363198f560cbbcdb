import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "./support/raw-http.js";
import { basicAuth, logRecord, logRecords, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

// Structured logs: one JSON line per request, request ids, and what never reaches the log.
const PASSWORD = "log-admin-password-1";
const admin = basicAuth("admin", PASSWORD);
let direct: RunningServer;
let proxied: RunningServer;

beforeAll(async () => {
  [direct, proxied] = await Promise.all([
    startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: PASSWORD }),
    startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: PASSWORD, TRUST_PROXY: "1" }),
  ]);
}, 60_000);
afterAll(async () => {
  await direct?.stop();
  await proxied?.stop();
});

/** The request lines logged so far for this request id (waits a moment: lines are written in batches). */
async function linesFor(server: RunningServer, id: string): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = logRecords(server.output()).filter((r) => r.msg === "request" && r.request_id === id);
    if (found.length > 0 || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("request log", () => {
  it("writes one JSON line per request, with the route group, status, duration, ids and the caller", async () => {
    const created = await request(`${direct.url}/v1alpha/token/`, { method: "POST", auth: admin, body: { jwt_token_description: "logged", jwt_token_life: "1 hour" } });
    expect(created.status).toBe(201);
    const token: string = created.body.jwt_token;
    const read = await request(`${direct.url}/v1alpha/token/${created.body.jwt_token_id}?access_token=${token}`, { auth: `Bearer ${token}` });
    expect(read.status).toBe(200);
    const id = read.headers.get("x-request-id")!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [line, ...more] = await linesFor(direct, id);
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: "info", method: "GET", route: "v1alpha.token", status: 200, request_id: id, token_id: created.body.jwt_token_id, ip: "127.0.0.1" });
    expect(line!.user_id).toEqual(expect.any(String));
    expect(line!.duration_ms).toEqual(expect.any(Number));
    // Neither the path (it held the token in its query) nor any credential is in the log.
    const output = direct.output();
    expect(output).not.toContain(token);
    expect(output).not.toContain(token.split(".")[2]);
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain(Buffer.from(`admin:${PASSWORD}`).toString("base64"));
    expect(output).not.toContain("access_token");
  });

  it("logs a dashboard sign-in's request without its cookie or password", async () => {
    const login = await request(`${direct.url}/api/trpc/auth.login`, {
      method: "POST",
      headers: { origin: direct.url },
      body: { username: "admin", password: PASSWORD },
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const page = await request(`${direct.url}/tokens`, { headers: { cookie } });
    const [line] = await linesFor(direct, page.headers.get("x-request-id")!);
    expect(line).toMatchObject({ route: "dashboard", method: "GET", user_id: expect.any(String) });
    expect(direct.output()).not.toContain(cookie.split("=")[1]!);
    expect(direct.output()).not.toContain(PASSWORD);
  });

  it("keeps a hostile user agent inside its field: quotes, braces, newlines and JSON stay one line", async () => {
    const hostile = `x" , "status": 200, "msg": "forged" }\t{"level":"fatal","msg":"forged\\`;
    const answer = await request(`${direct.url}/v1alpha/token/`, { auth: admin, headers: { "user-agent": hostile } });
    const lines = await linesFor(direct, answer.headers.get("x-request-id")!);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.user_agent).toBe(hostile);
    expect(logRecords(direct.output()).filter((r) => r.msg === "forged")).toEqual([]);
  });

  it("makes its own request id unless a trusted proxy sent one, and refuses ids of the wrong shape", async () => {
    // Without TRUST_PROXY, whatever a client says is ignored.
    const ignored = await request(`${direct.url}/healthz/live`, { headers: { "x-request-id": "client-chosen-id" } });
    expect(ignored.headers.get("x-request-id")).not.toBe("client-chosen-id");
    // Behind a trusted proxy, its id is passed on, in the answer and in the log.
    const kept = await request(`${proxied.url}/v1alpha/token/`, { headers: { "x-request-id": "nginx-0123abcd", "x-forwarded-for": "203.0.113.7" } });
    expect(kept.headers.get("x-request-id")).toBe("nginx-0123abcd");
    expect((await linesFor(proxied, "nginx-0123abcd"))[0]).toMatchObject({ status: 401, ip: "203.0.113.7" });
    for (const bad of ['{"injected":true}', "a b", "x".repeat(129), "id\tTAB", "über"]) {
      const answer = await request(`${proxied.url}/healthz/live`, { headers: { "x-request-id": bad, "x-forwarded-for": "203.0.113.7" } });
      expect(answer.headers.get("x-request-id"), bad).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Two ids (joined with a comma) are not one id; a raw newline in a header never gets past Node's parser.
    const twice = await rawRequest(proxied.url, "GET /healthz/live HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\r\nX-Request-Id: b\r\nX-Forwarded-For: 1.2.3.4\r\nConnection: close\r\n\r\n");
    expect(twice.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const split = await rawRequest(proxied.url, "GET /healthz/live HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\rInjected: 1\r\nConnection: close\r\n\r\n");
    expect(split.status).toBe(400);
    expect(proxied.output()).not.toContain("client-chosen-id");
    expect(proxied.output()).not.toContain("injected");
  });

  it("keeps X-Request-Id on answers the server gives up on (a 400 for a malformed path)", async () => {
    const answer = await rawRequest(direct.url, "GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(answer.status).toBe(400);
    expect(answer.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("writes start-up messages through the same logger, Next's own included: JSON lines only", async () => {
    // The dashboard's renderer loads (and Next prints what it prints) on the first page request.
    expect((await request(`${direct.url}/login`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const records = logRecords(direct.output());
    expect(records.find((r) => typeof r.msg === "string" && r.msg.startsWith("Tokensmith listening on"))).toMatchObject({ level: "info", pid: expect.any(Number) });
    // ADMIN_PASSWORD was given here: the banner says so, without it.
    expect(records.filter((r) => String(r.msg).startsWith("First start:"))).toHaveLength(1);
    for (const line of direct.output().split("\n").filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
  });
});

describe("LOG_LEVEL and LOG_FORMAT", () => {
  it("LOG_FORMAT=pretty: one readable line per record, fields escaped; the generated password on the banner line", { timeout: 60_000 }, async () => {
    const server = await startServer({ DATABASE_URL: (await testDatabase()).url, LOG_FORMAT: "pretty" });
    try {
      const answer = await request(`${server.url}/v1alpha/token/`, { headers: { "user-agent": 'evil"\tINFO  forged line' } });
      expect(answer.status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const lines = server.output().split("\n");
      const banner = lines.find((line) => line.includes("First start:"))!;
      expect(banner).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}First start: created admin user "admin" with the generated password \S+ — shown only this once/);
      const logged = lines.filter((line) => line.includes(" request ") && line.includes("route=v1alpha.token"));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain('user_agent="evil\\"\\tINFO  forged line"');
      expect(lines.filter((line) => line.startsWith("INFO  forged"))).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it("LOG_FORMAT=json: JSON lines, as asked (it was taken for pretty)", { timeout: 60_000 }, async () => {
    const server = await startServer({ DATABASE_URL: (await testDatabase()).url, LOG_FORMAT: "json" });
    try {
      const lines = server.output().trim().split("\n");
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.filter((line) => logRecord(line) === null)).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it("LOG_LEVEL=warn drops the request lines and keeps the first-start password; bad values stop the start", { timeout: 120_000 }, async () => {
    const server = await startServer({ DATABASE_URL: (await testDatabase()).url, LOG_LEVEL: "warn" });
    try {
      await request(`${server.url}/v1alpha/token/`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(logRecords(server.output()).filter((r) => r.msg === "request")).toEqual([]);
      expect(server.output()).toMatch(/generated password \S+ — shown only this once/);
    } finally {
      await server.stop();
    }
    for (const [name, value] of [["LOG_LEVEL", "loud"], ["LOG_FORMAT", "xml"]]) {
      const failed = await startServer({ DATABASE_URL: (await testDatabase()).url, [name!]: value! }).then(
        (started) => started.stop().then(() => "started"),
        (error: Error) => error.message,
      );
      expect(failed).toMatch(new RegExp(`server exited with 2:\\nConfiguration error: ${name} "${value}" must be one of`));
    }
  });
});
