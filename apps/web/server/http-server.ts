import http from "node:http";
import type { Duplex } from "node:stream";
import { MAX_REQUEST_HEADERS } from "./request-listener.js";

/**
 * How long a connection may take, and how much it may send, before it is cut off. Every API
 * answer takes milliseconds and every body is at most 64 KiB, so these are generous for real
 * clients and short for a client that holds sockets open on purpose (slowloris).
 */
export const SERVER_LIMITS = {
  /** The request line and headers must arrive within 10 s of the request's first byte (Node: 60 s). */
  headersTimeout: 10_000,
  /** The whole request, body included, within 30 s (Node: 300 s): 64 KiB takes far less on any link. */
  requestTimeout: 30_000,
  /**
   * An idle keep-alive connection is closed after 65 s: longer than the 60 s idle timeout of the
   * usual reverse proxies (nginx, AWS ALB), so the proxy closes first and never sends a request
   * down a socket we are closing (that race answers the client 502).
   */
  keepAliveTimeout: 65_000,
  /**
   * A socket that moves no byte for 60 s while a request is being answered is destroyed: a client
   * that stops reading a response, or a handler that never answers. No answer takes near that.
   */
  idleSocketTimeout: 60_000,
  /** How often Node checks headersTimeout and requestTimeout (Node: 30 s, which would add up to 30 s to them). */
  connectionsCheckingInterval: 1_000,
  /** Request line plus headers, in bytes (Node's default); a token and a session cookie need ~2 KiB. */
  maxHeaderSize: 16 * 1024,
  /** How long the body of a request with Upgrade headers may stall (see guardUpgradeWithBody). */
  upgradeBodyIdleTimeout: 5_000,
} as const;

const STATUS_FOR_PARSE_ERROR: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, "Request Header Fields Too Large"],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, "Content Too Large"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "Request Timeout"],
};

/** A complete response written straight to a socket that Node's HTTP layer has given up on. */
function rawResponse(status: number, reason: string, extra = ""): string {
  return `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n${extra}\r\n`;
}

/**
 * A request Node could not parse (bad method, request line, header, Content-Length or chunk) or
 * that timed out: answered with a status when nothing of another response is on its way on this
 * socket, then closed. Node's default does the same, but says nothing about nosniff or caching.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // The response of an earlier request on this keep-alive socket may be mid-flight; a second status
  // line inside it would corrupt it. Node's own default handler checks this same private field.
  const inFlight = (socket as Duplex & { _httpMessage?: http.ServerResponse | null })._httpMessage;
  if (error.code !== "ECONNRESET" && socket.writable && !inFlight?.headersSent) {
    const [status, reason] = STATUS_FOR_PARSE_ERROR[error.code ?? ""] ?? [400, "Bad Request"];
    // Destroyed once written: the client may never close its side, and nothing else can follow.
    socket.end(rawResponse(status, reason), () => socket.destroy());
  } else {
    socket.destroy();
  }
}

/**
 * CONNECT asks us to be a proxy, which we are not. Without a listener Node would just drop the
 * socket; answer it like any other method we do not take.
 */
function refuseConnect(_req: http.IncomingMessage, socket: Duplex): void {
  if (socket.writable) socket.end(rawResponse(405, "Method Not Allowed", "Allow: GET, HEAD\r\n"), () => socket.destroy());
  else socket.destroy();
}

/**
 * Node quirk: once a request carries `Connection: upgrade` and `Upgrade`, Node's parser treats the
 * connection as upgraded and swallows any later parse error — so a broken body (bad chunk size)
 * never fails, and the handler waits for it until requestTimeout (30 s). We upgrade nothing, and
 * such a request with a body is rare (curl --http2 over plain HTTP sends one): its socket may stall
 * for only a few seconds, and the connection is not reused.
 */
function guardUpgradeWithBody(req: http.IncomingMessage, res: http.ServerResponse): void {
  const flaggedUpgrade = req.headers.upgrade !== undefined && /(^|,)\s*upgrade\s*(,|$)/i.test(req.headers.connection ?? "");
  const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) !== 0;
  if (!flaggedUpgrade || !hasBody) return;
  res.setHeader("Connection", "close");
  req.socket.setTimeout(SERVER_LIMITS.upgradeBodyIdleTimeout);
}

export function createHardenedServer(listener: http.RequestListener): http.Server {
  const server = http.createServer(
    {
      headersTimeout: SERVER_LIMITS.headersTimeout,
      requestTimeout: SERVER_LIMITS.requestTimeout,
      connectionsCheckingInterval: SERVER_LIMITS.connectionsCheckingInterval,
      maxHeaderSize: SERVER_LIMITS.maxHeaderSize,
      keepAliveTimeout: SERVER_LIMITS.keepAliveTimeout,
    },
    (req, res) => {
      guardUpgradeWithBody(req, res);
      listener(req, res);
    },
  );
  server.keepAliveTimeout = SERVER_LIMITS.keepAliveTimeout;
  server.setTimeout(SERVER_LIMITS.idleSocketTimeout);
  // One more than we accept, so the listener can tell "too many" (431) from "exactly the limit".
  server.maxHeadersCount = MAX_REQUEST_HEADERS + 1;
  server.on("clientError", answerClientError);
  server.on("connect", refuseConnect);
  return server;
}
