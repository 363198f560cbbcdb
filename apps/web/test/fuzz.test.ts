import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRandom, describeCase, makeCase, type Credentials, type FuzzCase } from "./support/fuzz-cases.js";
import { rawRequest } from "./support/raw-http.js";
import { basicAuth, logRecord, startServer, testDatabase, type RunningServer } from "./support/server.js";

/** FUZZ_SEED replays a run exactly; FUZZ_CASES runs more (or fewer) requests. */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));
const CASES = Number(process.env.FUZZ_CASES ?? 5000);
const CONCURRENCY = 16;
/** No answer and no close within this long is a hang. Every complete request is answered in ms. */
const HANG_MS = 10_000;

/**
 * KNOWN_API_FAILURES — failures whose root cause is in packages/* (owned elsewhere), not in this
 * server. Matching cases are not sent, and the run says how many were skipped. Each entry names
 * the exact request; remove it once the package is fixed.
 */
const KNOWN_API_FAILURES: { problem: string; request: string; matches(c: FuzzCase, creds: Credentials): boolean }[] = [];

/**
 * A body that gives away internals: an exception's name (TypeError…, but not a header name such as
 * the documented X-Tokensmith-Error), a stack frame, a file path.
 */
const LEAK = /(?<![-\w])\w*Error\b|\n\s+at .+:\d+:\d+|node_modules|\/(?:work|home|tmp)\/|file:\/\//;

let server: RunningServer;
let creds: Credentials;
const ADMIN_PASSWORD = "admin-password-1";

async function trpc(path: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(`${server.url}/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return res;
}

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD });
  // The fuzzer signs in as its own administrator: real credentials reach the deepest code paths,
  // and whatever it revokes or signs out, "admin" stays untouched for the final check.
  const fuzzAdmin = { username: "fuzz-admin", password: "fuzz-admin-password" };
  await trpc("user.create", { ...fuzzAdmin, isAdmin: true }, { authorization: basicAuth("admin", ADMIN_PASSWORD) });
  const basic = basicAuth(fuzzAdmin.username, fuzzAdmin.password);
  const created = await fetch(`${server.url}/v1alpha/token/`, {
    method: "POST",
    headers: { authorization: basic, "content-type": "application/json" },
    body: JSON.stringify({ jwt_token_description: "fuzz", jwt_token_life: "1 hour" }),
  });
  const { jwt_token: jwt, jwt_token_id: tokenId } = (await created.json()) as { jwt_token: string; jwt_token_id: string };
  const login = await trpc("auth.login", fuzzAdmin, { origin: server.url });
  creds = { jwt, tokenId, basic, cookie: login.headers.get("set-cookie")!.split(";")[0]! };
}, 60_000);
afterAll(() => server?.stop());

interface Outcome {
  status?: number;
  ended: "response" | "closed" | "timeout" | "not sent";
  body: string;
  contentType: string;
}

async function send(c: FuzzCase): Promise<Outcome> {
  if (c.transport === "raw") {
    const res = await rawRequest(server.url, c.bytes!, { timeoutMs: HANG_MS, halfClose: c.halfClose });
    return { status: res.status, ended: res.ended, body: res.body, contentType: res.headers["content-type"] ?? "" };
  }
  try {
    const res = await fetch(`${server.url}${c.target}`, {
      method: c.method,
      headers: c.headers,
      body: c.body || undefined,
      redirect: "manual",
      signal: AbortSignal.timeout(HANG_MS),
    });
    return { status: res.status, ended: "response", body: await res.text(), contentType: res.headers.get("content-type") ?? "" };
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError") return { ended: "timeout", body: "", contentType: "" };
    // "fetch failed" is the server closing; any other TypeError is fetch refusing to send it.
    const closed = (error as Error).message === "fetch failed";
    return { ended: closed ? "closed" : "not sent", body: "", contentType: "" };
  }
}

function problemsWith(outcome: Outcome): string[] {
  const problems: string[] = [];
  if (outcome.ended === "timeout") problems.push(`no answer and no close within ${HANG_MS} ms`);
  if (outcome.status !== undefined && outcome.status >= 500) problems.push(`status ${outcome.status}`);
  if (outcome.status !== undefined && !(outcome.status >= 100 && outcome.status < 600)) problems.push(`unparsable status line`);
  // Next's own scripts and styles mention Error by nature; every other body must not.
  const leak = /javascript|css/.test(outcome.contentType) ? null : LEAK.exec(outcome.body);
  if (leak) problems.push(`body leaks internals: …${outcome.body.slice(Math.max(0, leak.index - 60), leak.index + 80)}…`);
  return problems;
}

async function inPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

describe("fuzz", () => {
  it(`${CASES} malformed requests: no 5xx, no hang, no leak, and the server lives on`, async () => {
    console.log(`fuzz: seed ${SEED} — replay with FUZZ_SEED=${SEED} (${CASES} cases)`);
    const rng = createRandom(SEED);
    const cases = Array.from({ length: CASES }, (_, index) => makeCase(rng, index, creds));
    const known = cases.filter((c) => KNOWN_API_FAILURES.some((k) => k.matches(c, creds)));
    const failures: string[] = [];
    const tally: Record<string, number> = {};
    const started = Date.now();
    await inPool(cases.filter((c) => !known.includes(c)), CONCURRENCY, async (c) => {
      const outcome = await send(c);
      const key = `${c.family} ${outcome.status ?? outcome.ended}`;
      tally[key] = (tally[key] ?? 0) + 1;
      for (const problem of problemsWith(outcome)) failures.push(`${problem}\n    ${describeCase(c)}`);
    });
    console.log(`fuzz: ${CASES - known.length} sent in ${Date.now() - started} ms, ${known.length} skipped as KNOWN_API_FAILURES:`);
    for (const k of KNOWN_API_FAILURES) console.log(`  - ${k.problem}\n    request: ${k.request}`);
    console.log(`fuzz: outcomes ${JSON.stringify(Object.fromEntries(Object.entries(tally).sort()))}`);

    // Still alive, and still serving a real signed-in user: a fresh token, used at once.
    expect(server.process.exitCode).toBeNull();
    const admin = basicAuth("admin", ADMIN_PASSWORD);
    const created = await fetch(`${server.url}/v1alpha/token/`, {
      method: "POST",
      headers: { authorization: admin, "content-type": "application/json" },
      body: JSON.stringify({ jwt_token_description: "after the fuzz", jwt_token_life: "1 hour" }),
    });
    expect(created.status).toBe(201);
    const { jwt_token: token } = (await created.json()) as { jwt_token: string };
    expect((await fetch(`${server.url}/v1alpha/token/self`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${server.url}/login`)).status).toBe(200);

    // What the server said about itself: a 5xx the client never saw (its socket was gone) still counts.
    // Log records at error level, and answers of 5xx; anything else printed (Next's own output) by its words.
    const serverErrors = server.output().split("\n").filter((line) => {
      const record = logRecord(line);
      if (record) return record.level === "error" || record.level === "fatal" || (record.msg === "request" && Number(record.status) >= 500);
      return /unhandled rejection|request failed|^\[(v1alpha|trpc|web)\]|⨯|\w*Error\b/.test(line);
    });
    if (failures.length || serverErrors.length) {
      console.error(`fuzz: seed ${SEED}: ${failures.length} failing requests, ${serverErrors.length} server error lines`);
      console.error(failures.slice(0, 30).join("\n") + "\n" + serverErrors.slice(0, 30).join("\n"));
    }
    expect({ seed: SEED, failures: failures.slice(0, 10), serverErrors: serverErrors.slice(0, 10) }).toEqual({ seed: SEED, failures: [], serverErrors: [] });
  }, 180_000);

  // Once a known failure (a backtracking RegExp per pattern), replayed exactly: the matcher is linear now.
  it("a token's own endpoint pattern cannot block the server (ReDoS)", async () => {
    // Every `*` of a pattern used to become `.*` in one backtracking RegExp: ~9 s of a blocked event
    // loop for 16 of them against this 36-character id, and each extra `*a` multiplied it. With 80,
    // a backtracking matcher would outlast the test's timeout by ages; the linear one answers at once.
    const created = await fetch(`${server.url}/v1alpha/token/`, {
      method: "POST",
      headers: { authorization: basicAuth("admin", ADMIN_PASSWORD), "content-type": "application/json" },
      body: JSON.stringify({ jwt_token_description: "redos", jwt_token_life: "1 hour", jwt_token_endpoints: [`GET /v1alpha/token/${"*a".repeat(80)}*z`] }),
    });
    const { jwt_token: token } = (await created.json()) as { jwt_token: string };
    const res = await fetch(`${server.url}/v1alpha/token/aaaaaaaa-aaaa-4aaa-aaaa-aaaaaaaaaaaa`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
  });
});
