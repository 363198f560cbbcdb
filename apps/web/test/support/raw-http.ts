import net from "node:net";

export interface RawResponse {
  /** The final (non-1xx) status, or undefined when the server closed without one. */
  status?: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** How the exchange ended: a complete response, the server closing, or our timeout. */
  ended: "response" | "closed" | "timeout";
}

const HEAD_END = "\r\n\r\n";

interface Head {
  status: number;
  headers: Record<string, string>;
  rest: string;
}

/** The final response's status line and headers, once they have arrived (1xx interim ones skipped). */
function parseHead(buffer: Buffer): Head | null {
  let text = buffer.toString("latin1");
  while (/^HTTP\/1\.[01] 1\d\d /.test(text) && text.includes(HEAD_END)) text = text.slice(text.indexOf(HEAD_END) + 4);
  const headEnd = text.indexOf(HEAD_END);
  if (headEnd === -1) return null;
  const [statusLine, ...lines] = text.slice(0, headEnd).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? "")?.[1]), headers, rest: text.slice(headEnd + 4) };
}

/** The body, once all of it has arrived by Content-Length or chunked framing; else null. */
function completeBody({ status, headers, rest }: Head, method: string): string | null {
  if (method === "HEAD" || status === 204 || status === 304) return "";
  if (headers["content-length"] !== undefined) {
    const length = Number(headers["content-length"]);
    return rest.length >= length ? rest.slice(0, length) : null;
  }
  if (!/chunked/i.test(headers["transfer-encoding"] ?? "")) return null; // delimited by close
  if (!rest.includes("\r\n0\r\n\r\n") && !rest.startsWith("0\r\n\r\n")) return null;
  let body = "";
  for (let at = 0; ; ) {
    const lineEnd = rest.indexOf("\r\n", at);
    const size = parseInt(rest.slice(at, lineEnd), 16);
    if (!size) return body;
    body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

/**
 * Sends raw bytes and reads one response. Resolves — never rejects — with how it ended: a
 * complete response, a close by the server (with whatever arrived), or a timeout (a hang).
 */
export function rawRequest(url: string, bytes: string | Buffer, { timeoutMs = 10_000, halfClose = false } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const method = /^([A-Z]+) /.exec(bytes.toString("latin1", 0, 16))?.[1] ?? "";
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let buffer = Buffer.alloc(0);
    let done = false;
    const finish = (ended: RawResponse["ended"]) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const head = parseHead(buffer);
      if (!head) return resolve({ headers: {}, body: "", ended });
      // A body delimited by close, or cut short: whatever arrived.
      const body = Buffer.from(completeBody(head, method) ?? head.rest, "latin1").toString("utf8");
      resolve({ status: head.status, headers: head.headers, body, ended });
    };
    const timer = setTimeout(() => finish("timeout"), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const head = parseHead(buffer);
      if (head && completeBody(head, method) !== null) finish("response");
    });
    socket.on("close", () => finish("closed"));
    // A reset after a response was written still counts as the server closing.
    socket.on("error", () => finish("closed"));
    // Half-closing tells the server no more bytes are coming (a body shorter than it was promised).
    if (halfClose) socket.end(bytes);
    else socket.write(bytes);
  });
}

/** "GET /x HTTP/1.1" plus headers, with Host and Connection: close unless given. */
export function buildRequest(requestLine: string, headers: [string, string][] = [], body = ""): string {
  const names = new Set(headers.map(([name]) => name.toLowerCase()));
  const all: [string, string][] = [...headers];
  if (!names.has("host")) all.unshift(["Host", "127.0.0.1"]);
  if (!names.has("connection")) all.push(["Connection", "close"]);
  return `${requestLine}\r\n${all.map(([n, v]) => `${n}: ${v}`).join("\r\n")}\r\n\r\n${body}`;
}
