import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import type { TLSSocket } from "node:tls";
import type { RequestMeta } from "../context/index.js";
import type { RequestHeaders } from "../auth/resolve-caller.js";
import { log } from "../log/logger.js";
import { dpopHeader } from "../auth/dpop.js";

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
};

/** "::ffff:10.0.0.1" and "10.0.0.1" are one client: rate limits and allowlists must see one key. */
export function canonicalIp(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address.toLowerCase();
}

/**
 * The comma-separated list entry `hops` from the right, when a trusted proxy appended it. Fewer
 * entries than proxies: none (the leftmost would be whatever the client sent).
 */
function fromTheRight(list: string | undefined, hops: number): string | undefined {
  if (!list) return undefined;
  const entries = list.split(",").map((entry) => entry.trim());
  if (entries.length < hops) return undefined;
  const entry = entries[entries.length - hops];
  return entry === undefined || entry === "" ? undefined : entry;
}

/**
 * Where a request came from. The socket is the truth; X-Forwarded-For, -Proto and -Host count only
 * with TRUST_PROXY, because anyone can send them: trusting them by default would let a client pick
 * its own address (and dodge rate limits) or its own origin (and pass CSRF checks).
 */
export function requestMeta(req: IncomingMessage, trustProxy: number): RequestMeta {
  // Asked twice per API request (security headers, then the handler): worked out once.
  const known = (req as MetaHolder)[META];
  if (known?.trustProxy === trustProxy) return known.meta;
  const meta = readMeta(req, trustProxy);
  (req as MetaHolder)[META] = { trustProxy, meta };
  return meta;
}

let warnedUnknownClient = false;
function warnUnknownClient(): void {
  if (warnedUnknownClient) return;
  warnedUnknownClient = true;
  log.warn(
    "[proxy] TRUST_PROXY is set, but a request came without an X-Forwarded-For entry for its client: its address is taken as unknown " +
      "(allowlists admit nothing, limits count it with every other unknown client). Have the proxy set X-Forwarded-For. (Said once.)",
  );
}

const META = Symbol("tokensmith.requestMeta");
const SOCKET_IP = Symbol("tokensmith.socketIp");
type MetaHolder = IncomingMessage & { [META]?: { trustProxy: number; meta: RequestMeta } };
type IpHolder = IncomingMessage["socket"] & { [SOCKET_IP]?: string | undefined };

/** A kept-alive socket carries many requests from one peer: its canonical address is worked out once. */
function socketIp(req: IncomingMessage): string | undefined {
  const socket = req.socket as IpHolder;
  if (!(SOCKET_IP in socket)) socket[SOCKET_IP] = canonicalIp(socket.remoteAddress);
  return socket[SOCKET_IP];
}

function readMeta(req: IncomingMessage, trustProxy: number): RequestMeta {
  const direct = socketIp(req);
  let ip = direct;
  let secure = Boolean((req.socket as TLSSocket).encrypted);
  let host = req.headers.host;
  if (trustProxy > 0) {
    // X-Forwarded-For only. A fallback to X-Real-IP would let a client pick its address behind a
    // proxy that sets X-Forwarded-For only where it must (a client's X-Real-IP passes through).
    const forwarded = fromTheRight(header(req, "x-forwarded-for"), trustProxy);
    // No usable entry: the client is unknown (allowlists admit nothing), never the proxy itself,
    // whose address an allowlist of the proxy's own network would let anyone in with.
    ip = forwarded && isIP(forwarded) ? canonicalIp(forwarded) : undefined;
    if (ip === undefined) warnUnknownClient();
    const proto = fromTheRight(header(req, "x-forwarded-proto"), 1)?.toLowerCase();
    if (proto === "https" || proto === "http") secure = proto === "https";
    host = fromTheRight(header(req, "x-forwarded-host"), 1) ?? host;
  }
  return {
    ip,
    userAgent: req.headers["user-agent"],
    secure,
    origin: host && /^[\w.-]+(:\d{1,5})?$|^\[[\da-f:.]+\](:\d{1,5})?$/i.test(host) ? `${secure ? "https" : "http"}://${host.toLowerCase()}` : undefined,
  };
}

export function authHeaders(req: IncomingMessage, opts: { cookies: boolean }): RequestHeaders {
  return {
    authorization: req.headers.authorization,
    cookie: opts.cookies ? req.headers.cookie : undefined,
    dpop: { proof: dpopHeader(req.rawHeaders), method: req.method ?? "", path: req.url ?? "/" },
  };
}

export function pathOf(url: string | undefined): string {
  const raw = url ?? "/";
  const query = raw.indexOf("?");
  return query === -1 ? raw : raw.slice(0, query);
}
