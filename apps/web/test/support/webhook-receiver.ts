import http from "node:http";
import type { AddressInfo } from "node:net";
import { webcrypto } from "node:crypto";

/**
 * Standard Webhooks verification, written from the specification and independent of the server's
 * code (WebCrypto, not node:crypto's createHmac): the signature header lists "v1,<base64>" entries
 * separated by spaces; one must be HMAC-SHA256, keyed with the base64 after "whsec_", of
 * "{webhook-id}.{webhook-timestamp}.{body}". The timestamp must be within five minutes of now.
 */
export async function verifyStandardWebhook(secret: string, headers: http.IncomingHttpHeaders, body: string): Promise<boolean> {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (typeof id !== "string" || typeof timestamp !== "string" || typeof signatures !== "string") return false;
  if (!secret.startsWith("whsec_")) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = await webcrypto.subtle.importKey("raw", Buffer.from(secret.slice("whsec_".length), "base64"), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  for (const entry of signatures.split(" ")) {
    const [version, signature] = entry.split(",");
    if (version !== "v1" || !signature) continue;
    if (await webcrypto.subtle.verify("HMAC", key, Buffer.from(signature, "base64"), signed)) return true;
  }
  return false;
}

export interface Received {
  /** The request path: one receiver stands in for several endpoints. */
  path: string;
  id: string;
  type: string;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, any> };
  headers: http.IncomingHttpHeaders;
  /** Epoch ms when it arrived. */
  at: number;
  /** Verified against `receiver.secret` when it arrived. */
  verified: boolean;
}

type Answer = number | "hold";

/** A real receiving server: records every request, answers with the queued statuses (then 200). */
export class WebhookReceiver {
  readonly received: Received[] = [];
  /** Answers for the next requests, in order; "hold" keeps the request open until release(). */
  readonly answers: Answer[] = [];
  secret = "";
  /** Secrets of further endpoints on this receiver, by path (the default one is `secret`). */
  readonly secrets = new Map<string, string>();
  private readonly held: http.ServerResponse[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const json = JSON.parse(body);
      const verified = await verifyStandardWebhook(this.secrets.get(req.url ?? "") ?? this.secret, req.headers, body);
      this.received.push({ path: req.url ?? "", id: String(req.headers["webhook-id"]), type: json.type, body, json, headers: req.headers, at: Date.now(), verified });
      for (const wake of this.waiters.splice(0)) wake();
      const answer = this.answers.shift() ?? 200;
      if (answer === "hold") this.held.push(res);
      else res.writeHead(answer).end();
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  /** http://localhost:port/path — a host name that resolves to 127.0.0.1. */
  url(path = "/hook"): string {
    return `http://localhost:${(this.server.address() as AddressInfo).port}${path}`;
  }

  release(): void {
    for (const res of this.held.splice(0)) if (!res.destroyed) res.writeHead(200).end();
  }

  /** Waits until a request matching `match` has arrived (or fails after `timeoutMs`). */
  async waitFor(match: (r: Received) => boolean, timeoutMs = 15_000): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching webhook within ${timeoutMs} ms; received: ${this.received.map((r) => r.type).join(", ")}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  ofType(type: string): Received[] {
    return this.received.filter((r) => r.type === type);
  }

  async stop(): Promise<void> {
    for (const res of this.held.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
