/**
 * Malformed requests for test/fuzz.test.ts, drawn from a seeded PRNG so that a seed reproduces a
 * run exactly. Nothing here talks to the server.
 */

/** mulberry32: tiny, fast, and the same sequence for the same seed on every platform. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => next() < p;
  const string = (length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789") =>
    Array.from({ length }, () => alphabet[int(alphabet.length)]).join("");
  /** Builds only the alternative it picks: some are 200 KB strings. */
  const oneOf = <T>(makers: readonly (() => T)[]): T => pick(makers)();
  return { next, int, pick, chance, string, oneOf };
}
export type Random = ReturnType<typeof createRandom>;

/** Real credentials of the fuzzing user (an administrator, so admin-only input parsing is reached too). */
export interface Credentials {
  jwt: string;
  tokenId: string;
  cookie: string;
  basic: string;
}

export interface FuzzCase {
  index: number;
  /** The route family, for the report. */
  family: string;
  transport: "raw" | "fetch";
  method: string;
  target: string;
  headers: [string, string][];
  body: string;
  /** Raw only: the exact bytes on the wire. */
  bytes?: Buffer;
  /** Raw only: end our side after writing, for framings that promise more bytes than are sent. */
  halfClose?: boolean;
  /** Raw only: the body cannot be read to its end (cut short, or chunked framing that does not parse). */
  bodyCutShort?: boolean;
}

const b64url = (value: string) => Buffer.from(value).toString("base64url");
const TRPC_PROCEDURES = [
  "token.list", "token.get", "token.create", "token.revoke", "token.rotate", "token.self", "token.revokeSelf",
  "auth.login", "auth.logout", "auth.me", "audit.list", "user.list", "user.create", "user.remove", "user.resetPassword",
  "admin.tokens", "admin.revokeToken", "nope", "token", "__proto__", "constructor", "token.list.x", "",
];
const METHODS = ["GET", "GET", "GET", "POST", "POST", "POST", "HEAD", "PUT", "DELETE", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"];
/** Methods Node's parser refuses before any of our code runs: a few, so most requests get further. */
const UNPARSABLE_METHODS = ["FOO", "get", "G\tT", "GET\0", "X".repeat(300), ""];
const PERCENT_GARBAGE = ["%", "%Z", "%ZZ", "%00", "%ff", "%c0%af", "%2e%2e", "%2f", "%5c", "%uD800", "%e2%82", "%%", "%0d%0a"];
const CONTROL = ["\0", "\x01", "\x7f", "\t", " ", "\r", "\n", "\xff", "é", "\u2028"];

/** A v4-shaped UUID from the seeded generator (crypto.randomUUID would break replay). */
const randomUuid = (rng: Random) => `${rng.string(8, "0123456789abcdef")}-${rng.string(4, "0123456789abcdef")}-4${rng.string(3, "0123456789abcdef")}-a${rng.string(3, "0123456789abcdef")}-${rng.string(12, "0123456789abcdef")}`;

function percentGarbage(rng: Random): string {
  return Array.from({ length: 1 + rng.int(3) }, () => rng.pick([rng.pick(PERCENT_GARBAGE), rng.string(3), "..", ".", "/", "\\"])).join("");
}

/** The route families, each with sometimes-valid, mostly-broken paths. */
function targetFor(rng: Random, creds: Credentials): [family: string, path: string] {
  const id = rng.pick([creds.tokenId, randomUuid(rng), "self", percentGarbage(rng), "x".repeat(rng.int(5000)), "00000000-0000-0000-0000-000000000000"]);
  const procs = () => Array.from({ length: 1 + (rng.chance(0.2) ? rng.int(14) : 0) }, () => rng.pick(TRPC_PROCEDURES)).join(",");
  const families: [string, () => string][] = [
    ["/", () => "/"],
    ["/login", () => rng.pick(["/login", "/login/", "/LOGIN", "/login?next=//evil"])],
    ["/tokens", () => rng.pick(["/tokens", "/activity", "/users", "/tokens/" + percentGarbage(rng)])],
    ["/_next", () => rng.pick(["/_next/static/chunks/", "/_next/", "/_next/image?url=", "/_next/data/"]) + percentGarbage(rng)],
    ["/v1alpha/token", () => rng.pick(["/v1alpha/token/", "/v1alpha/token", `/v1alpha/token/${id}`, `/v1alpha/token/${id}/rotate`, `/v1alpha/${percentGarbage(rng)}`])],
    ["/v1alpha/openapi.json", () => rng.pick(["/v1alpha/openapi.json", "/v1alpha/openapi.json?" + percentGarbage(rng)])],
    ["/api/trpc", () => `/api/trpc/${procs()}` + rng.oneOf([
      () => rng.pick(["", "?batch=1", "?" + percentGarbage(rng)]),
      () => `?input=${encodeURIComponent(jsonBody(rng, creds))}`,
      () => `?batch=1&input=${jsonBody(rng, creds)}`,
    ])],
  ];
  const [family, make] = rng.pick(families);
  let path = make();
  if (rng.chance(0.15)) path += percentGarbage(rng);
  if (rng.chance(0.05)) path += rng.pick(CONTROL);
  if (rng.chance(0.03)) path += "/" + "a".repeat(8000 + rng.int(10_000));
  return [family, path];
}

function requestTarget(rng: Random, path: string): string {
  if (rng.chance(0.85)) return path;
  return rng.pick([`http://evil.example${path}`, `https://127.0.0.1${path}`, "*", `/${path}`, "example.com:443", `HTTP://x${path}`, "", path.slice(1)]);
}

/** Valid, almost valid and thoroughly broken JSON (and not-JSON) bodies. */
export function jsonBody(rng: Random, creds: Credentials): string {
  const depth = () => 1 + rng.int(20_000);
  return rng.oneOf([
    () => rng.pick(["", "{", "}", "[", "null", "0", "true", '"x"', "{'a':1}", '{"a":1,}', "\u0000", "\ufeff{}", "NaN", "1e309", "[]", "{}"]),
    () => "[".repeat(depth()) + "]".repeat(depth()),
    () => { const d = depth(); return '{"a":'.repeat(d) + "1" + "}".repeat(d); },
    () => { const d = depth(); return "[".repeat(d) + "]".repeat(d); },
    () => JSON.stringify({ jwt_token_description: rng.pick([5, null, [], {}, "", "x".repeat(300), "ok"]), jwt_token_life: rng.pick([5, "", "-1 days", "1e309 s", "9".repeat(400), "1 eon", "6 minutes", null]) }),
    () => JSON.stringify({ jwt_token_description: "fuzz", jwt_token_life: "1 hour", jwt_token_endpoints: rng.pick([[], ["banana"], [5], "GET /x", Array(60).fill("GET /x"), ["GET " + "/*".repeat(500)]]) }),
    () => JSON.stringify({ overlap: rng.pick([5, "", "10 minutes", "-1 s", "1e309 s"]) }),
    () => JSON.stringify({ id: rng.pick([creds.tokenId, 5, "x", null]), description: "fuzz", life: rng.pick(["1 hour", 5, "1e309 s"]) }),
    () => JSON.stringify({ username: rng.pick(["zz" + rng.string(14), "", 5, "a".repeat(200), "../../x"]), password: rng.pick(["p", 5, "x".repeat(2000), "long-enough-password"]) }),
    () => JSON.stringify({ 0: { json: null }, 1: "x", [rng.string(3)]: [] }),
    () => JSON.stringify({ cursor: rng.pick([-1, 0.5, "1", 1e308]), limit: rng.pick([0, 101, "5", 1e308]) }),
    () => '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}',
    () => "x".repeat(rng.pick([70_000, 200_000])),
    () => "username=admin&password=x",
  ]);
}

/** A JWT made to be refused: alg none, a wrong alg, a tampered payload, garbage, or a huge one. */
function forgedJwt(rng: Random, creds: Credentials): string {
  const [header, payload, signature] = creds.jwt.split(".") as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
  const tampered = () => b64url(JSON.stringify({ ...claims, username: "admin", exp: 4_102_444_800, jwt_token_endpoints: null }));
  return rng.oneOf([
    () => `${b64url('{"alg":"none","typ":"JWT"}')}.${payload}.`,
    () => `${b64url('{"alg":"none"}')}.${tampered()}.`,
    () => `${b64url('{"alg":"HS512","typ":"JWT"}')}.${payload}.${signature}`,
    () => `${b64url('{"alg":"RS256","typ":"JWT"}')}.${payload}.${b64url(rng.string(256))}`,
    () => `${b64url('{"alg":"HS256","kid":"../../../../dev/null","crit":["exp"]}')}.${payload}.${signature}`,
    () => `${header}.${tampered()}.${signature}`,
    () => `${header}.${payload}.${signature.slice(0, -2)}`,
    () => `${header}.${payload}`,
    () => `${header}.${b64url("not json")}.${signature}`,
    () => `${header}.${b64url(JSON.stringify({ ...claims, pad: "x".repeat(rng.pick([1000, 12_000])) }))}.${signature}`,
    () => rng.pick(["a.b.c", "....", "eyJ", "Bearer", "€.€.€"]),
    () => rng.string(40, "!@#$%^&*()_+=-`~ "),
  ]);
}

function authorization(rng: Random, creds: Credentials): string {
  return rng.oneOf([
    () => `Bearer ${forgedJwt(rng, creds)}`,
    () => `bearer  ${forgedJwt(rng, creds)}`,
    () => `Basic ${rng.pick(["", "=", "====", "!!!!", "YWRtaW4=", b64url("\0:\0"), "Og=="])}`,
    () => rng.pick(["Basic", "Bearer", "Digest username=x", "Negotiate YII=", " ", "\u00ff"]),
    () => rng.string(20),
    // A parsable user:password costs an scrypt hash: rarely, and never an existing user.
    () => (rng.chance(0.1) ? `Basic ${Buffer.from(`zz${rng.string(8)}:x`).toString("base64")}` : "Basic Og=="),
  ]);
}

function cookie(rng: Random, creds: Credentials): string {
  return rng.oneOf([
    () => rng.pick(["tokensmith_session=%ZZ", "tokensmith_session=", "tokensmith_session", "=;;;=", "tokensmith_session=\u00ff"]),
    () => `tokensmith_session=${"a".repeat(rng.pick([100, 9000]))}`,
    () => Array.from({ length: 150 }, (_, i) => `c${i}=${i}`).join("; "),
    () => rng.pick([`tokensmith_session=x; ${creds.cookie}`, `${creds.cookie}; ${creds.cookie}`, `${creds.cookie}%`]),
  ]);
}

/** Extra headers: duplicated, oversized, contradictory framing, and plain odd ones. */
function oddHeaders(rng: Random): [string, string][] {
  return rng.oneOf<[string, string][]>([
    () => [["Content-Length", rng.pick(["abc", "-1", "1e3", " 5", "5, 6", "99999999999999999999", "0x10"])]],
    () => [["Content-Length", "1"], ["Content-Length", "2"]],
    () => [["Host", "a"], ["Host", "b"]],
    () => [["Transfer-Encoding", rng.pick(["chunked, gzip", "gzip", "chunked\0", "xchunked", "identity"])]],
    () => [["Transfer-Encoding", "chunked"], ["Content-Length", "3"]],
    () => [["X-Huge", "h".repeat(rng.pick([9000, 20_000]))]],
    () => Array.from({ length: rng.pick([120, 2500]) }, (_, i): [string, string] => [`X-Many-${i}`, "1"]),
    () => rng.pick<[string, string][]>([[["Bad Name", "1"]], [["X\0", "1"]], [["", "empty"]], [["X-Fold", "a\r\n folded"]]]),
    () => [["Expect", rng.pick(["100-continue", "banana"])]],
    () => [["Upgrade", "websocket"], ["Connection", "Upgrade"]],
    () => [["Content-Type", rng.pick(["application/json; charset=utf-16", "multipart/form-data", "text/plain", "\0"])]],
    () => [["Origin", rng.pick(["null", "http://evil.example", "%ZZ", "x".repeat(3000)])]],
    () => [["X-Forwarded-For", "1.2.3.4, ::1, %ZZ"], ["X-Forwarded-Proto", "https"], ["X-Forwarded-Host", "evil.example"]],
    () => [["Accept-Encoding", "gzip;q=x, *;q=-1"], ["Range", "bytes=5-1,0-"]],
    () => [["RSC", "1"], ["Next-Router-State-Tree", rng.pick(["%ZZ", "[[[[", encodeURIComponent('["",{"children":["x",{}]}]')])]],
    () => [["RSC", "1"], ["Next-Router-Prefetch", rng.pick(["1", "2", "3", "x"])], ["Next-Router-Segment-Prefetch", rng.pick(["/_tree", "%ZZ", "/x"])]],
    () => [["Next-Action", rng.string(40)], ["Next-Url", rng.pick(["//evil", "%ZZ"])], ["X-Middleware-Subrequest", "middleware"]],
    () => [["X-Nextjs-Data", "1"], ["X-Now-Route-Matches", "%ZZ"], ["Next-Test-Fetch-Priority", "x"]],
  ]);
}

/** A chunked body, usually broken: a bad size, junk extensions, or a missing end (needs the half-close). */
function chunkedBody(rng: Random, payload: string): { body: string; valid: boolean; ends: boolean } {
  const size = Buffer.byteLength(payload).toString(16);
  return rng.oneOf<{ body: string; valid: boolean; ends: boolean }>([
    () => ({ body: `${size}\r\n${payload}\r\n0\r\n\r\n`, valid: true, ends: true }),
    () => ({ body: `zz\r\n${payload}\r\n0\r\n\r\n`, valid: false, ends: true }),
    () => ({ body: `ffffffffffffffffffff\r\n${payload}\r\n0\r\n\r\n`, valid: false, ends: true }),
    () => ({ body: `${size};${"e".repeat(20_000)}\r\n${payload}\r\n0\r\n\r\n`, valid: false, ends: true }),
    () => ({ body: `${size}\r\n${payload}`, valid: false, ends: false }),
    () => ({ body: `1\r\nab\r\n0\r\n\r\n`, valid: false, ends: true }),
  ]);
}

export function makeCase(rng: Random, index: number, creds: Credentials): FuzzCase {
  const [family, path] = targetFor(rng, creds);
  const method = rng.chance(0.05) ? rng.pick(UNPARSABLE_METHODS) : rng.pick(METHODS);
  const headers: [string, string][] = [["Host", "127.0.0.1"]];
  // A quarter of the requests carry real credentials, so the garbage reaches the handlers behind them.
  if (rng.chance(0.25)) headers.push(rng.pick([["Authorization", creds.basic], ["Authorization", `Bearer ${creds.jwt}`], ["Cookie", creds.cookie]]));
  else if (rng.chance(0.4)) headers.push(["Authorization", authorization(rng, creds)]);
  if (rng.chance(0.3)) headers.push(["Cookie", cookie(rng, creds)]);
  if (rng.chance(0.3)) headers.push(["Content-Type", "application/json"]);
  if (rng.chance(0.3)) headers.push(["Origin", "http://127.0.0.1"]);
  const body = rng.chance(0.5) ? jsonBody(rng, creds) : "";
  if (rng.chance(0.2) && /^[A-Z]+$/.test(method)) {
    // Well-formed on the wire (fetch refuses invalid methods and header values): the semantics are the garbage.
    const fetchable = headers.filter(([name, value]) => name !== "Host" && /^[\x20-\x7e]*$/.test(value));
    return { index, family, transport: "fetch", method, target: path, headers: fetchable, body: method === "GET" || method === "HEAD" ? "" : body };
  }
  let wireBody = body;
  let halfClose = rng.chance(0.02);
  let bodyCutShort = halfClose;
  if (rng.chance(0.15)) {
    const chunked = chunkedBody(rng, body || "{}");
    headers.push(["Transfer-Encoding", "chunked"]);
    wireBody = chunked.body;
    halfClose ||= !chunked.ends;
    bodyCutShort ||= !chunked.valid;
  } else if (body && rng.chance(0.9)) {
    const declared = Buffer.byteLength(body) + rng.pick([0, 0, 0, -1, 5]);
    headers.push(["Content-Length", String(declared)]);
    halfClose ||= declared > Buffer.byteLength(body);
    bodyCutShort ||= halfClose;
  }
  if (rng.chance(0.3)) {
    const odd = oddHeaders(rng);
    headers.push(...odd);
    // A second or odd Content-Length / Transfer-Encoding leaves the body unreadable to its end too.
    bodyCutShort ||= odd.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name));
  }
  // Mostly one request per connection; sometimes keep-alive with a second, broken request pipelined.
  const pipelined = rng.chance(0.05) ? `GET /${percentGarbage(rng)} HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n` : "";
  if (!pipelined) headers.push(["Connection", "close"]);
  const version = rng.chance(0.95) ? "HTTP/1.1" : rng.pick(["HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "http/1.1", "HTTP/1.1 extra", ""]);
  const target = requestTarget(rng, path);
  const head = `${method} ${target} ${version}\r\n${headers.map(([n, v]) => `${n}: ${v}`).join("\r\n")}\r\n\r\n`;
  const bytes = Buffer.concat([Buffer.from(head, "latin1"), Buffer.from(wireBody, "utf8"), Buffer.from(pipelined, "latin1")]);
  return { index, family, transport: "raw", method, target, headers, body: wireBody, bytes, halfClose, bodyCutShort };
}

/** The exact request, printable: enough to replay it with `printf '…' | nc`. */
export function describeCase(c: FuzzCase, max = 600): string {
  const shown = c.transport === "raw" ? c.bytes!.toString("latin1") : `${c.method} ${c.target} (fetch) ${JSON.stringify(c.headers)} ${c.body}`;
  const half = Math.floor(max / 2);
  const text = JSON.stringify(shown.length > max ? `${shown.slice(0, half)} …(${shown.length} bytes in all)… ${shown.slice(-half)}` : shown);
  return `#${c.index} [${c.family}] ${c.transport}${c.halfClose ? " +half-close" : ""}: ${text}`;
}
