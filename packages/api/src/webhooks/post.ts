import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { checkWebhookUrl, isPublicAddress, vetHost, type VettedAddress } from "./url-policy.js";

export interface PostResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** The start of the answer as text; null when none came, or from a private address. */
  responseBody: string | null;
}

/** How much of an answer is kept to be shown: enough to see what a receiver said, no more. */
export const MAX_KEPT_ANSWER_BYTES = 1024;

/** The kept start of an answer: text, without control characters (tabs and newlines aside). */
function excerpt(bytes: Buffer): string {
  return bytes.subarray(0, MAX_KEPT_ANSWER_BYTES).toString("utf8").replace(/\uFFFD+$/, "").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}

/** How much of a receiver's answer is read (and thrown away): enough to finish the exchange, no more. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs one delivery. The host is resolved and vetted here, at delivery time, and the connection
 * goes to that vetted address (a lookup that answers with it), while Host and SNI keep the name:
 * a DNS answer that changes between check and connect cannot reach an internal address.
 * Redirects are not followed (a 3xx is a failed attempt).
 */
export async function postWebhook(target: string, headers: Record<string, string>, body: string, options: { timeoutMs: number; allowPrivate: boolean }): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // The URL rules again, not only the host: an http:// endpoint saved while
  // WEBHOOK_ALLOW_PRIVATE was on is not sent in clear text once it is off.
  const checked = checkWebhookUrl(target, options.allowPrivate);
  if (!checked.ok) return { statusCode: null, error: `refused: the endpoint URL ${checked.message}`, durationMs: 0, responseBody: null };
  const url = checked.url;
  const vetted = await vetHost(url, options.allowPrivate);
  if (!vetted.ok) return { statusCode: null, error: `refused: ${vetted.message}`, durationMs: elapsed(), responseBody: null };
  // Every address it answers with was vetted; with several, Node tries them in turn (Happy Eyeballs).
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    const [first] = vetted.addresses;
    if ((lookupOptions as { all?: boolean }).all) (callback as unknown as (e: null, a: VettedAddress[]) => void)(null, vetted.addresses);
    else callback(null, first!.address, first!.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const kept: Buffer[] = [];
    let keptBytes = 0;
    // What a receiver on a private address answers is never kept: with WEBHOOK_ALLOW_PRIVATE, a
    // user could otherwise aim an endpoint at an internal service and read its answers here.
    let keep = false;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ statusCode, error, durationMs: elapsed(), responseBody: keep && statusCode !== null ? excerpt(Buffer.concat(kept)) : null });
    };
    const request = client.request(
      url,
      {
        method: "POST",
        lookup: pinned,
        agent: false,
        headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body), "user-agent": "Tokensmith-Webhooks/1" },
      },
      (response) => {
        let read = 0;
        keep = isPublicAddress(response.socket.remoteAddress);
        response.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (keep && keptBytes < MAX_KEPT_ANSWER_BYTES) {
            kept.push(chunk.subarray(0, MAX_KEPT_ANSWER_BYTES - keptBytes));
            keptBytes += Math.min(chunk.length, MAX_KEPT_ANSWER_BYTES - keptBytes);
          }
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        response.on("end", () => finish(response.statusCode ?? null, null));
        response.on("close", () => finish(response.statusCode ?? null, null));
        response.on("error", () => finish(response.statusCode ?? null, null));
      },
    );
    // The whole attempt, not only idle time: a receiver that trickles bytes cannot hold it open.
    const timer = setTimeout(() => {
      request.destroy();
      finish(null, `timed out after ${options.timeoutMs} ms`);
    }, options.timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => finish(null, error.code ? `${error.code}: ${error.message}` : error.message));
    request.end(body);
  });
}
