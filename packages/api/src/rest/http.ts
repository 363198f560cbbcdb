import type { IncomingMessage, ServerResponse } from "node:http";

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface FieldError {
  /** The wire name of the field (or "body", "id", "authorization" for the request's parts). */
  field: string;
  message: string;
}

/** A response the adapter sends as `{ message, ... }`; thrown anywhere in a REST handler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** `error`: an OAuth error code (RFC 6749 §5.2), on the OAuth client endpoints. */
    readonly details: { errors?: FieldError[]; error?: string } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Every 400 names what was wrong in `errors`, so a client can show it next to the right field. */
export function badRequest(message: string, errors: FieldError[], headers: Record<string, string> = {}): HttpError {
  return new HttpError(400, message, { errors }, headers);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(payload),
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(payload);
}

export function readBody(req: IncomingMessage, limit: number = BODY_LIMIT_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new HttpError(413, `Request body is larger than ${limit} bytes`, {}, { Connection: "close" }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new HttpError(413, `Request body is larger than ${limit} bytes`, {}, { Connection: "close" }));
        return;
      }
      chunks.push(chunk);
    });
    // Most bodies come in one chunk: no copy then.
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    // The client went away mid-body, or sent a broken chunked encoding: its fault, not a fault of ours.
    req.on("error", () => reject(badRequest("The request body was cut off or malformed", [{ field: "body", message: "was cut off or malformed" }], { Connection: "close" })));
  });
}

/**
 * Reads a JSON object body: 413 past the limit, 400 for anything that is not a JSON object.
 * With `optional`, an empty body reads as {}.
 */
export async function readJsonObject(
  req: IncomingMessage,
  { limit = BODY_LIMIT_BYTES, optional = false }: { limit?: number; optional?: boolean } = {},
): Promise<Record<string, unknown>> {
  const raw = (await readBody(req, limit)).toString("utf8");
  if (raw.trim() === "") {
    if (optional) return {};
    throw badRequest("Request body is empty: send a JSON object", [{ field: "body", message: "is empty" }]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest("Request body is not valid JSON", [{ field: "body", message: "is not valid JSON" }]);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw badRequest("Request body must be a JSON object", [{ field: "body", message: "must be a JSON object" }]);
  }
  return parsed as Record<string, unknown>;
}
